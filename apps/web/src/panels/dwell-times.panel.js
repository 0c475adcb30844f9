import { drawChart } from '../chart.js';
import { dealFilters, period } from '../view-state.js';

/** GET /v1/analytics/dwell-times: per open stage, the days of ended stays and the Kaplan–Meier median. */
export const dwellTimesPanel = {
  id: 'dwell',
  reloadOn: ['filters'],
  title: (tr) => tr.t('dwell'),
  load({ state, get }) {
    return get('/v1/analytics/dwell-times', { ...dealFilters(state), ...period(state) });
  },
  render(panel, answer, { tr }) {
    const stages = answer.stages;
    const measures = [
      ['median', (s) => s.perStay.median],
      ['p75', (s) => s.perStay.p75],
      ['p90', (s) => s.perStay.p90],
      ['kmMedian', (s) => s.kaplanMeier.median],
    ];
    drawChart(
      panel.chartSlot('chart'),
      {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: stages.map((s) => tr.stage(s.stage)), axisLabel: { interval: 0 } },
        yAxis: { type: 'value', name: tr.t('days') },
        series: measures.map(([key, pick]) => ({ type: 'bar', name: tr.t(key), data: stages.map(pick) })),
      },
      tr.t('dwellChart'),
    );
    const day = (value) => ({ value, text: tr.number(value) });
    panel.addTable({
      caption: tr.t('dwellChart'),
      columns: [
        { key: 'stage', label: tr.t('stage') },
        { key: 'n', label: tr.t('stays'), numeric: true },
        { key: 'median', label: tr.t('median'), numeric: true },
        { key: 'p75', label: tr.t('p75'), numeric: true },
        { key: 'p90', label: tr.t('p90'), numeric: true },
        { key: 'mean', label: tr.t('mean'), numeric: true },
        { key: 'kmMedian', label: tr.t('kmMedian'), numeric: true },
        { key: 'openStays', label: tr.t('openStays'), numeric: true },
      ],
      rows: stages.map((s) => ({
        key: s.stage,
        cells: {
          stage: { text: tr.stage(s.stage), value: s.stage },
          n: day(s.perStay.n),
          median: day(s.perStay.median),
          p75: day(s.perStay.p75),
          p90: day(s.perStay.p90),
          mean: day(s.perStay.mean),
          kmMedian: day(s.kaplanMeier.median),
          openStays: day(s.openStays),
        },
      })),
    });
  },
};
