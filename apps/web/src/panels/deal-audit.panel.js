import { dataTable } from '../data-table.js';

/**
 * For auditors: one deal's every event (who, when it happened, when it was recorded, the
 * correlation id), the deal as it stood at any instant, and its hash-chain check.
 */
export const dealAuditPanel = {
  id: 'deal',
  wide: true,
  reloadOn: ['deal', 'dealAsOf'],
  title: (tr) => tr.t('audit'),
  async load({ state, get }) {
    if (!state.deal) return null;
    const path = `/v1/deals/${encodeURIComponent(state.deal)}`;
    const [deal, history, integrity] = await Promise.all([
      get(path, { asOf: state.dealAsOf }),
      get(`${path}/history`),
      get(`${path}/integrity`),
    ]);
    return { deal, history, integrity };
  },
  render(panel, data, { state, tr, update }) {
    panel.controls.replaceChildren(controls(state, tr, update));
    if (!data) {
      const hint = document.createElement('p');
      hint.className = 'note';
      hint.textContent = tr.t('pickDeal');
      panel.body.append(hint);
      return;
    }
    const { deal, history, integrity } = data;

    const check = document.createElement('p');
    check.className = integrity.valid ? 'integrity ok' : 'integrity broken';
    check.id = 'deal-integrity';
    check.dataset.valid = String(integrity.valid);
    check.textContent = integrity.valid
      ? tr.t('integrityValid', { events: integrity.events, head: (integrity.headHash ?? '').slice(0, 16) })
      : tr.t('integrityBroken', { breaks: integrity.breaks.map((b) => `#${b.revision} ${b.reason}`).join(', ') });

    const snapshot = document.createElement('section');
    snapshot.className = 'snapshot';
    snapshot.id = 'deal-snapshot';
    snapshot.dataset.stage = deal.stage;
    const heading = document.createElement('h3');
    heading.textContent = tr.t('snapshot', { instant: state.dealAsOf ? tr.instant(state.dealAsOf) : tr.t('now') });
    const facts = document.createElement('dl');
    facts.className = 'facts';
    const fact = (label, value) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    };
    fact(tr.t('account'), `${deal.account.name} (${deal.account.industry}, ${deal.account.region})`);
    fact(tr.t('owner'), `${deal.owner} · ${deal.team}`);
    fact(tr.t('stage'), tr.stage(deal.stage));
    fact(tr.t('status'), deal.status);
    fact(tr.t('amount'), tr.money(deal.amount, deal.currency));
    fact(tr.t('revision'), String(deal.revision));
    snapshot.append(heading, facts);

    const timeline = dataTable({
      id: 'deal-timeline',
      caption: tr.t('timeline'),
      columns: [
        { key: 'revision', label: tr.t('revision'), numeric: true },
        { key: 'type', label: tr.t('event') },
        { key: 'occurredAt', label: tr.t('happened') },
        { key: 'recordedAt', label: tr.t('recorded') },
        { key: 'actor', label: tr.t('who') },
        { key: 'correlationId', label: tr.t('correlation') },
      ],
      rows: history.map((event) => ({
        key: String(event.revision),
        cells: {
          revision: { value: event.revision, text: String(event.revision) },
          type: { value: event.type, text: event.type },
          occurredAt: { value: event.occurredAt, text: tr.instant(event.occurredAt) },
          recordedAt: { value: event.recordedAt, text: tr.instant(event.recordedAt) },
          actor: { value: event.metadata.actor.id, text: event.metadata.actor.name ?? event.metadata.actor.id },
          correlationId: { value: event.metadata.correlationId, text: event.metadata.correlationId },
        },
      })),
    });
    const scroller = document.createElement('div');
    scroller.className = 'scroller';
    scroller.append(timeline);
    panel.body.append(check, snapshot, scroller);
  },
};

function controls(state, tr, update) {
  const form = document.createElement('form');
  form.className = 'deal-controls';
  const idLabel = document.createElement('label');
  const idText = document.createElement('span');
  idText.textContent = tr.t('dealId');
  const id = document.createElement('input');
  id.name = 'deal';
  id.value = state.deal ?? '';
  id.size = 38;
  id.autocomplete = 'off';
  id.spellcheck = false;
  idLabel.append(idText, id);

  const asOfLabel = document.createElement('label');
  const asOfText = document.createElement('span');
  asOfText.textContent = tr.t('dealAsOf');
  const asOf = document.createElement('input');
  asOf.type = 'datetime-local';
  asOf.step = '1';
  asOf.name = 'dealAsOf';
  asOf.value = state.dealAsOf ? state.dealAsOf.slice(0, 19) : '';
  asOfLabel.append(asOfText, asOf);

  const open = document.createElement('button');
  open.type = 'submit';
  open.textContent = tr.t('open');
  form.append(idLabel, asOfLabel, open);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // The picker has no zone: the label says UTC, and the API gets an instant that says so.
    const instant = asOf.value ? new Date(`${asOf.value.length === 16 ? `${asOf.value}:00` : asOf.value}Z`).toISOString() : undefined;
    update({ deal: id.value.trim() || undefined, dealAsOf: instant });
  });
  return form;
}
