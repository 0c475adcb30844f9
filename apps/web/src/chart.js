import * as echarts from '/web/vendor/echarts/echarts.esm.min.mjs';

/** One palette for every chart, chosen to stay apart for colour-blind readers. */
export const PALETTE = ['#2f6db5', '#e08a2b', '#3a9d7a', '#b8457a', '#7a5fb5', '#8c8c3a', '#4aa3c7', '#c05a3c'];

const charts = new WeakMap();
const resizes = new ResizeObserver((entries) => {
  for (const entry of entries) charts.get(entry.target)?.resize();
});

/**
 * Draws (or redraws) an ECharts option in a container. The container is an image for assistive
 * technology, labelled by `label`; the numbers are in the data table beside it.
 */
export function drawChart(container, option, label) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  let chart = charts.get(container);
  if (!chart) {
    chart = echarts.init(container, null, { renderer: 'canvas' });
    charts.set(container, chart);
    resizes.observe(container);
  }
  chart.setOption(
    {
      color: PALETTE,
      animationDuration: 300,
      // One concrete family, so that ECharts measures labels with the font it draws them in.
      textStyle: { fontFamily: 'sans-serif' },
      ...option,
      // Rich-text tooltips are drawn on the canvas: an HTML tooltip would need inline styles
      // that the page's Content-Security-Policy refuses.
      tooltip: { renderMode: 'richText', ...(option.tooltip ?? {}) },
    },
    true,
  );
  return chart;
}
