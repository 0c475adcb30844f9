import { anomalyCursor, anomalyItems } from '../api.js';
import { drawChart } from '../chart.js';
import { dataTable } from '../data-table.js';
import { dealFilters, period } from '../view-state.js';

const MAX_ITEMS = 500;

/** GET /v1/anomalies: each anomaly with its reason in words; each deal opens the audit view. */
export const anomaliesPanel = {
  id: 'anomalies',
  wide: true,
  reloadOn: ['filters'],
  title: (tr) => tr.t('anomalies'),
  /** Follows the pages (when the API pages) up to MAX_ITEMS, so the counts and the list agree. */
  async load({ state, get }) {
    const query = { ...dealFilters(state), ...period(state) };
    const first = await get('/v1/anomalies', query);
    const items = [...anomalyItems(first)];
    let cursor = anomalyCursor(first);
    while (cursor && items.length < MAX_ITEMS) {
      const page = await get('/v1/anomalies', { ...query, cursor });
      items.push(...anomalyItems(page));
      cursor = anomalyCursor(page);
    }
    return { items: items.slice(0, MAX_ITEMS), more: Boolean(cursor) || items.length > MAX_ITEMS };
  },
  render(panel, { items, more }, { tr, dealLink }) {
    const kinds = [...new Set(items.map((i) => i.kind))];
    const counts = kinds.map((kind) => items.filter((i) => i.kind === kind).length);
    if (items.length > 0) {
      drawChart(
        panel.chartSlot('chart strip'),
        {
          tooltip: { trigger: 'axis' },
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', inverse: true, data: kinds.map((k) => tr.kind(k)) },
          series: [{ type: 'bar', data: counts, itemStyle: { color: '#c05a3c' }, label: { show: true, position: 'right' } }],
        },
        tr.t('anomaliesChart'),
      );
      panel.addTable({
        caption: tr.t('anomaliesChart'),
        columns: [
          { key: 'kind', label: tr.t('kind') },
          { key: 'count', label: tr.t('count'), numeric: true },
        ],
        rows: kinds.map((kind, i) => ({ key: kind, cells: { kind: { text: tr.kind(kind), value: kind }, count: counts[i] } })),
      });
    }
    const list = dataTable({
      id: 'anomaly-list',
      caption: tr.t('anomalies'),
      columns: [
        { key: 'kind', label: tr.t('kind') },
        { key: 'deal', label: tr.t('deal') },
        { key: 'owner', label: tr.t('owner') },
        { key: 'stage', label: tr.t('stage') },
        { key: 'since', label: tr.t('since') },
        { key: 'reason', label: tr.t('reason') },
      ],
      rows: items.map((item, index) => ({
        key: `${item.dealId}:${item.kind}:${index}`,
        cells: {
          kind: { text: tr.kind(item.kind), value: item.kind },
          deal: { node: dealLink(item.dealId, item.account), value: item.dealId },
          owner: { text: `${item.owner} · ${item.team}`, value: item.owner },
          stage: { text: tr.stage(item.stage), value: item.stage },
          since: { text: tr.instant(item.since), value: item.since },
          reason: { text: item.reason, value: item.reason },
        },
      })),
    });
    list.classList.add('list');
    const scroller = document.createElement('div');
    scroller.className = 'scroller';
    scroller.append(list);
    panel.body.append(scroller);
    if (items.length === 0 || more) {
      const note = document.createElement('p');
      note.className = 'note';
      note.textContent = more ? tr.t('firstItems', { count: MAX_ITEMS }) : tr.t('noData');
      panel.body.append(note);
    }
  },
};
