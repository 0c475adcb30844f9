import { drawChart } from '../chart.js';
import { ALL_STAGES, FUNNEL_STAGES, currenciesOf } from '../stages.js';

/**
 * The funnel of GET /v1/funnel drawn and tabled; shared by "now" and "as of". `toNext` maps a
 * stage to its stage-to-stage conversion rate (GET /v1/analytics/conversion), when known.
 */
export function renderFunnel(panel, funnel, tr, { caption, chartLabel, toNext }) {
  const byStage = new Map(funnel.stages.map((s) => [s.stage, s]));
  const max = Math.max(1, ...FUNNEL_STAGES.map((stage) => byStage.get(stage)?.deals ?? 0));
  const data = FUNNEL_STAGES.map((stage) => ({ name: tr.stage(stage), value: byStage.get(stage)?.deals ?? 0 }));
  const rateLabel = (index) => {
    const rate = toNext?.get(FUNNEL_STAGES[index]);
    return rate === undefined || rate === null ? '' : `↓ ${tr.percent(rate)}`;
  };
  const funnelSeries = {
    type: 'funnel',
    sort: 'none',
    left: '30%',
    width: '48%',
    top: 8,
    bottom: 8,
    min: 0,
    max,
    minSize: '14%',
    gap: 3,
    data,
  };
  // Three layers of one shape: the bars with their counts, then (invisible) the stage names on
  // the left and each stage's conversion where it meets the next.
  const overlay = (label) => ({ ...funnelSeries, silent: true, itemStyle: { color: 'transparent', borderWidth: 0 }, labelLine: { show: false }, label });
  drawChart(
    panel.chartSlot('chart funnel'),
    {
      tooltip: { trigger: 'item', formatter: '{b}: {c}' },
      series: [
        { ...funnelSeries, label: { position: 'inside', formatter: '{c}', color: '#fff', fontWeight: 600 } },
        overlay({ position: 'left', color: '#1d2633', formatter: '{b}' }),
        toNext && overlay({ position: 'rightBottom', color: '#5b6676', formatter: ({ dataIndex }) => rateLabel(dataIndex) }),
      ].filter(Boolean),
    },
    chartLabel,
  );

  const currencies = currenciesOf(funnel.stages);
  if (currencies.length > 0) {
    drawChart(
      panel.chartSlot('chart amounts'),
      {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, right: 0 },
        title: { text: tr.t('amountChart'), textStyle: { fontSize: 12, fontWeight: 'normal' } },
        grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: 'value', axisLabel: { formatter: (value) => tr.compact(value) } },
        yAxis: { type: 'category', inverse: true, data: ALL_STAGES.map((s) => tr.stage(s)) },
        series: currencies.map((currency) => ({
          type: 'bar',
          name: currency,
          data: ALL_STAGES.map((stage) => amountIn(byStage.get(stage), currency)),
        })),
      },
      tr.t('amountChart'),
    );
  }

  const columns = [
    { key: 'stage', label: tr.t('stage') },
    { key: 'deals', label: tr.t('deals'), numeric: true },
    ...currencies.flatMap((currency) => [
      { key: `deals:${currency}`, label: tr.t('dealsIn', { currency }), numeric: true },
      { key: `amount:${currency}`, label: tr.t('amountIn', { currency }), numeric: true },
    ]),
    ...(toNext ? [{ key: 'toNext', label: tr.t('conversionToNext'), numeric: true }] : []),
  ];
  const rows = ALL_STAGES.map((stage) => {
    const figures = byStage.get(stage);
    const cells = { stage: { text: tr.stage(stage), value: stage }, deals: { value: figures?.deals ?? 0, text: tr.number(figures?.deals ?? 0) } };
    for (const currency of currencies) {
      const entry = figures?.byCurrency.find((c) => c.currency === currency);
      cells[`deals:${currency}`] = { value: entry?.deals ?? 0, text: tr.number(entry?.deals ?? 0) };
      cells[`amount:${currency}`] = { value: entry?.amount ?? 0, text: tr.money(entry?.amount ?? 0, currency) };
    }
    if (toNext) {
      const rate = toNext.get(stage);
      cells.toNext = { value: rate ?? null, text: tr.percent(rate ?? null) };
    }
    return { key: stage, cells };
  });
  panel.addTable({ caption, columns, rows });
}

function amountIn(figures, currency) {
  return figures?.byCurrency.find((c) => c.currency === currency)?.amount ?? 0;
}
