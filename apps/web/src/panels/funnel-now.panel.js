import { renderFunnel } from './funnel-chart.js';
import { dealFilters, period } from '../view-state.js';

/** GET /v1/funnel now, with each stage's conversion to the next (GET /v1/analytics/conversion). */
export const funnelNowPanel = {
  id: 'funnel',
  reloadOn: ['filters', 'skipPolicy'],
  title: (tr) => tr.t('funnelNow'),
  async load({ state, get, optional }) {
    const [funnel, conversion] = await Promise.all([
      get('/v1/funnel', dealFilters(state)),
      optional(get('/v1/analytics/conversion', { ...dealFilters(state), ...period(state), skipPolicy: state.skipPolicy })),
    ]);
    return { funnel, conversion };
  },
  render(panel, { funnel, conversion }, { tr }) {
    const toNext = conversion ? new Map(conversion.stages.map((s) => [s.stage, s.toNextRate])) : undefined;
    renderFunnel(panel, funnel, tr, { caption: tr.t('funnelNow'), chartLabel: tr.t('funnelNowChart'), toNext });
  },
};
