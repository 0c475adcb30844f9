import { drawChart } from '../chart.js';
import { dealFilters, period } from '../view-state.js';

/** GET /v1/analytics/reps by owner and by team, side by side. */
export const repsPanel = {
  id: 'reps',
  wide: true,
  reloadOn: ['filters'],
  title: (tr) => tr.t('reps'),
  async load({ state, get }) {
    // The period defaults to the 12 weeks before `to`; a lone `to` or both bounds are passed on.
    const query = { ...dealFilters(state), ...period(state) };
    const [owners, teams] = await Promise.all([
      get('/v1/analytics/reps', { ...query, groupBy: 'owner' }),
      get('/v1/analytics/reps', { ...query, groupBy: 'team' }),
    ]);
    return { owners, teams };
  },
  render(panel, { owners, teams }, { tr, suggest }) {
    suggest('owners', owners.groups.map((g) => g.key));
    suggest('teams', teams.groups.map((g) => g.key));
    for (const [answer, titleKey] of [[owners, 'byOwner'], [teams, 'byTeam']]) {
      const groups = answer.groups;
      const title = tr.t('repsChart', { group: tr.t(titleKey) });
      drawChart(
        panel.chartSlot('chart half'),
        {
          title: { text: tr.t(titleKey), textStyle: { fontSize: 13 } },
          tooltip: { trigger: 'axis' },
          legend: { bottom: 0 },
          grid: { left: 8, right: 8, top: 40, bottom: 32, containLabel: true },
          xAxis: { type: 'category', data: groups.map((g) => g.key), axisLabel: { interval: 0 } },
          yAxis: [{ type: 'value', name: tr.t('deals'), minInterval: 1 }, { type: 'value', name: tr.t('winRate'), min: 0, max: 100, axisLabel: { formatter: '{value} %' } }],
          series: [
            { type: 'bar', name: tr.t('openPipeline'), data: groups.map((g) => g.openPipeline.deals) },
            { type: 'bar', name: tr.t('won'), data: groups.map((g) => g.closed.won) },
            { type: 'bar', name: tr.t('lost'), data: groups.map((g) => g.closed.lost) },
            { type: 'line', name: tr.t('winRate'), yAxisIndex: 1, data: groups.map((g) => (g.closed.winRate === null ? null : Math.round(g.closed.winRate * 1000) / 10)) },
          ],
        },
        title,
      );
      panel.addTable({
        caption: title,
        columns: [
          { key: 'key', label: tr.t(titleKey) },
          { key: 'openDeals', label: tr.t('openPipeline'), numeric: true },
          { key: 'won', label: tr.t('won'), numeric: true },
          { key: 'lost', label: tr.t('lost'), numeric: true },
          { key: 'winRate', label: tr.t('winRate'), numeric: true },
          { key: 'visitsPerWeek', label: tr.t('visitsPerWeek'), numeric: true },
          { key: 'openAmount', label: tr.t('amount') },
        ],
        rows: groups.map((g) => ({
          key: `${answer.groupBy}:${g.key}`,
          cells: {
            key: { text: g.key, value: g.key },
            openDeals: { value: g.openPipeline.deals, text: tr.number(g.openPipeline.deals) },
            won: { value: g.closed.won, text: tr.number(g.closed.won) },
            lost: { value: g.closed.lost, text: tr.number(g.closed.lost) },
            winRate: { value: g.closed.winRate, text: tr.percent(g.closed.winRate) },
            visitsPerWeek: { value: g.visits.perWeek, text: tr.number(g.visits.perWeek) },
            openAmount: { text: g.openPipeline.byCurrency.map((c) => tr.money(c.amount, c.currency)).join(', ') || '—' },
          },
        })),
      });
    }
  },
};
