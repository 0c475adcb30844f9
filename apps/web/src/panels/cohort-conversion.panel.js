import { drawChart } from '../chart.js';
import { dealFilters, period } from '../view-state.js';

/**
 * GET /v1/analytics/conversion as a heat map: stage × month of first entry, coloured by the rate
 * to the next stage or to won; the skip policy decides whether a jump over a stage passes it.
 */
export const cohortConversionPanel = {
  id: 'conversion',
  wide: true,
  reloadOn: ['filters', 'skipPolicy'],
  rerenderOn: ['rate'],
  title: (tr) => tr.t('conversion'),
  load({ state, get }) {
    return get('/v1/analytics/conversion', { ...dealFilters(state), ...period(state), skipPolicy: state.skipPolicy });
  },
  render(panel, answer, { state, tr, update }) {
    panel.controls.replaceChildren(
      choice('skipPolicy', tr.t('skipPolicy'), [['strict', tr.t('strict')], ['any', tr.t('any')]], state.skipPolicy, (v) => update({ skipPolicy: v })),
      choice('rate', tr.t('rate'), [['next', tr.t('rateNext')], ['won', tr.t('rateWon')]], state.rate, (v) => update({ rate: v })),
    );
    const rateKey = state.rate === 'won' ? 'toWonRate' : 'toNextRate';
    const months = [...new Set(answer.stages.flatMap((s) => s.cohorts.map((c) => c.cohort)))].sort();
    const stages = answer.stages.map((s) => s.stage);
    const cells = answer.stages.flatMap((s, y) =>
      s.cohorts.map((c) => [months.indexOf(c.cohort), y, c[rateKey] === null ? null : Math.round(c[rateKey] * 1000) / 10, c.entered]),
    );
    const rateName = tr.t(state.rate === 'won' ? 'rateWon' : 'rateNext');
    if (months.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'note';
      empty.textContent = tr.t('noData');
      panel.body.append(empty);
    } else {
      drawChart(
        panel.chartSlot('chart heat'),
        {
          tooltip: { trigger: 'item', formatter: ({ value }) => `${months[value[0]]} · ${tr.stage(stages[value[1]])}: ${value[2]} % (${value[3]})` },
          grid: { left: 8, right: 8, top: 8, bottom: 64, containLabel: true },
          xAxis: { type: 'category', data: months, splitArea: { show: true } },
          yAxis: { type: 'category', inverse: true, data: stages.map((s) => tr.stage(s)), splitArea: { show: true } },
          visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, text: ['100 %', '0 %'], inRange: { color: ['#f3f6fb', '#9cc3e6', '#2f6db5', '#173d6b'] } },
          series: [{ type: 'heatmap', data: cells, label: { show: true, formatter: ({ value }) => (value[2] === null ? '' : `${value[2]}%`) } }],
        },
        tr.t('conversionChart', { rate: rateName }),
      );
    }
    const count = (value) => ({ value, text: tr.number(value, 0) });
    const rate = (value) => ({ value, text: tr.percent(value) });
    const row = (stage, month, c) => ({
      key: `${stage}:${month}`,
      cells: {
        stage: { text: tr.stage(stage), value: stage },
        month: { text: month === 'all' ? '∑' : month, value: month },
        entered: count(c.entered),
        reachedNext: count(c.reachedNext),
        won: count(c.won),
        toNextRate: rate(c.toNextRate),
        toWonRate: rate(c.toWonRate),
      },
    });
    panel.addTable({
      caption: tr.t('conversionChart', { rate: rateName }),
      columns: [
        { key: 'stage', label: tr.t('stage') },
        { key: 'month', label: tr.t('month') },
        { key: 'entered', label: tr.t('entered'), numeric: true },
        { key: 'reachedNext', label: tr.t('reachedNext'), numeric: true },
        { key: 'won', label: tr.t('won'), numeric: true },
        { key: 'toNextRate', label: tr.t('toNextRate'), numeric: true },
        { key: 'toWonRate', label: tr.t('toWonRate'), numeric: true },
      ],
      rows: answer.stages.flatMap((s) => [row(s.stage, 'all', s), ...s.cohorts.map((c) => row(s.stage, c.cohort, c))]),
    });
  },
};

/** A labelled group of radio buttons (a switch with two or more positions). */
function choice(name, legendText, options, current, choose) {
  const fieldset = document.createElement('fieldset');
  fieldset.className = 'switch';
  const legend = document.createElement('legend');
  legend.textContent = legendText;
  fieldset.append(legend);
  for (const [value, text] of options) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = name;
    input.value = value;
    input.checked = value === current;
    input.addEventListener('change', () => input.checked && choose(value));
    label.append(input, document.createTextNode(text));
    fieldset.append(label);
  }
  return fieldset;
}
