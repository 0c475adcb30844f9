import { drawChart } from '../chart.js';
import { dealFilters, period } from '../view-state.js';

/**
 * Does the playbook keep its promises, and what will close? GET /v1/analytics/calibration/stages
 * (share WON within 30/90/180 days of entering each stage, the APPROVED promise's verdict),
 * GET /v1/forecast (the next 90 days per currency beside the weighted pipeline and the reps'
 * call) and GET /v1/analytics/calibration/forecasts (the Brier score of the reps' forecasts).
 */
export const calibrationPanel = {
  id: 'calibration',
  wide: true,
  reloadOn: ['filters'],
  title: (tr) => tr.t('calibration'),
  async load({ state, get, optional }) {
    const filters = dealFilters(state);
    const [stages, forecast, scores] = await Promise.all([
      get('/v1/analytics/calibration/stages', { ...filters, ...period(state) }),
      optional(get('/v1/forecast', { ...filters, horizon: '90' })),
      optional(get('/v1/analytics/calibration/forecasts', { ...filters, ...period(state) })),
    ]);
    return { stages, forecast, scores };
  },
  render(panel, { stages, forecast, scores }, { tr }) {
    const curves = stages.groups[0]?.stages ?? [];
    const promised = curves.find((s) => s.promise);
    const tiles = document.createElement('dl');
    tiles.className = 'tiles';
    const tile = (label, value) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      div.append(dt, dd);
      tiles.append(div);
    };
    if (promised) {
      const { estimate, verdict, withinDays, probabilityAbove } = promised.promise;
      tile(
        tr.t('promiseTile', { stage: tr.stage(promised.stage), days: withinDays, above: tr.percent(probabilityAbove) }),
        `${tr.percent(estimate.incidence)} (${tr.percent(estimate.lower)}–${tr.percent(estimate.upper)}) · ${tr.t(`verdict.${verdict}`)}`,
      );
    }
    for (const c of forecast?.currencies ?? []) {
      tile(
        tr.t('forecastTile', { currency: c.currency, days: forecast.horizon.days }),
        `${tr.money(c.simulation.expected, c.currency)} (P10 ${tr.money(c.simulation.p10, c.currency)} – P90 ${tr.money(c.simulation.p90, c.currency)})`,
      );
      tile(tr.t('weightedTile', { currency: c.currency }), `${tr.money(c.weightedPipeline, c.currency)} · ${tr.t('repCall')} ${tr.money(c.repForecast, c.currency)}`);
    }
    const brier = scores?.groups[0];
    if (brier) tile(tr.t('brierTile'), brier.n > 0 ? `${tr.number(brier.brier, 3)} (n = ${brier.n})` : '—');
    panel.body.append(tiles);

    const horizons = [30, 90, 180];
    drawChart(
      panel.chartSlot('chart'),
      {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: curves.map((s) => tr.stage(s.stage)) },
        yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v) => tr.percent(v) } },
        series: horizons.map((days) => ({
          name: tr.t('wonWithin', { days }),
          type: 'bar',
          data: curves.map((s) => s.wonWithin.find((w) => w.days === days)?.incidence ?? null),
        })),
      },
      tr.t('calibrationChart'),
    );

    panel.addTable({
      caption: tr.t('calibrationChart'),
      columns: [
        { key: 'stage', label: tr.t('stage') },
        { key: 'entered', label: tr.t('entered'), numeric: true },
        ...horizons.map((days) => ({ key: `d${days}`, label: tr.t('wonWithin', { days }), numeric: true })),
      ],
      rows: curves.map((s) => ({
        key: s.stage,
        cells: {
          stage: { text: tr.stage(s.stage), value: s.stage },
          entered: { value: s.entered, text: tr.number(s.entered) },
          ...Object.fromEntries(
            horizons.map((days) => {
              const w = s.wonWithin.find((x) => x.days === days);
              const text = w?.incidence === null || w === undefined ? '—' : `${tr.percent(w.incidence)} (${tr.percent(w.lower)}–${tr.percent(w.upper)})`;
              return [`d${days}`, { value: w?.incidence ?? null, text }];
            }),
          ),
        },
      })),
    });
  },
};
