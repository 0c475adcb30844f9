import { dealHistory } from '../api.js';
import { dataTable } from '../data-table.js';

/**
 * For auditors: one deal's every event (who, when it happened, when it was recorded, the
 * correlation id), the deal as it stood at any instant of business time (`asOf`) and as the
 * system knew it at any recorded instant (`knownAt`), and its hash-chain check.
 */
export const dealAuditPanel = {
  id: 'deal',
  wide: true,
  reloadOn: ['deal', 'dealAsOf', 'dealKnownAt'],
  title: (tr) => tr.t('audit'),
  async load({ state, get }) {
    if (!state.deal) return null;
    const path = `/v1/deals/${encodeURIComponent(state.deal)}`;
    const [deal, history, integrity] = await Promise.all([
      get(path, { asOf: state.dealAsOf, knownAt: state.dealKnownAt }),
      dealHistory(state.deal),
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
    panel.body.append(integrityLine(integrity, tr), snapshot(deal, state, tr), timeline(history, state, tr, update));
  },
};

function integrityLine(integrity, tr) {
  const check = document.createElement('p');
  check.className = integrity.valid ? 'integrity ok' : 'integrity broken';
  check.id = 'deal-integrity';
  check.dataset.valid = String(integrity.valid);
  check.textContent = integrity.valid
    ? tr.t('integrityValid', { events: integrity.events, head: (integrity.headHash ?? '').slice(0, 16) })
    : tr.t('integrityBroken', { breaks: integrity.breaks.map((b) => `#${b.revision} ${b.reason}`).join(', ') });
  return check;
}

function snapshot(deal, state, tr) {
  const section = document.createElement('section');
  section.className = 'snapshot';
  section.id = 'deal-snapshot';
  section.dataset.stage = deal.stage;
  section.dataset.revision = String(deal.revision);
  const heading = document.createElement('h3');
  heading.textContent = snapshotTitle(state, tr);
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
  section.append(heading, facts);
  return section;
}

function snapshotTitle(state, tr) {
  const stood = state.dealAsOf && tr.t('stoodAt', { instant: tr.instant(state.dealAsOf) });
  const known = state.dealKnownAt && tr.t('knownAt', { instant: tr.instant(state.dealKnownAt) });
  return [stood, known].filter(Boolean).join(', ') || tr.t('dealNow');
}

/** Every event, oldest first; those outside the chosen instants are marked, not hidden. */
function timeline(history, state, tr, update) {
  const included = (event) =>
    (!state.dealAsOf || Date.parse(event.occurredAt) <= Date.parse(state.dealAsOf)) &&
    (!state.dealKnownAt || Date.parse(event.recordedAt) <= Date.parse(state.dealKnownAt));
  const button = (text, patch) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'quiet small';
    b.textContent = text;
    b.addEventListener('click', () => update(patch));
    return b;
  };
  const table = dataTable({
    id: 'deal-timeline',
    caption: tr.t('timeline'),
    columns: [
      { key: 'revision', label: tr.t('revision'), numeric: true },
      { key: 'type', label: tr.t('event') },
      { key: 'occurredAt', label: tr.t('happened') },
      { key: 'recordedAt', label: tr.t('recorded') },
      { key: 'actor', label: tr.t('who') },
      { key: 'correlationId', label: tr.t('correlation') },
      { key: 'view', label: tr.t('lookAt') },
    ],
    rows: history.map((event) => {
      const actions = document.createElement('span');
      actions.className = 'row-actions';
      actions.append(
        button(tr.t('stoodThen'), { dealAsOf: event.occurredAt, dealKnownAt: undefined }),
        button(tr.t('knownThen'), { dealKnownAt: event.recordedAt, dealAsOf: undefined }),
      );
      return {
        key: String(event.revision),
        cells: {
          revision: { value: event.revision, text: String(event.revision) },
          type: { value: event.type, text: event.type },
          occurredAt: { value: event.occurredAt, text: tr.instant(event.occurredAt) },
          recordedAt: { value: event.recordedAt, text: tr.instant(event.recordedAt) },
          actor: { value: event.metadata.actor.id, text: event.metadata.actor.name ?? event.metadata.actor.id },
          correlationId: { value: event.metadata.correlationId, text: event.metadata.correlationId },
          view: { node: actions },
        },
      };
    }),
  });
  table.querySelectorAll('tbody tr').forEach((row, index) => {
    row.dataset.included = String(included(history[index]));
  });
  const scroller = document.createElement('div');
  scroller.className = 'scroller';
  scroller.append(table);
  return scroller;
}

function controls(state, tr, update) {
  const form = document.createElement('form');
  form.className = 'deal-controls';
  const field = (labelText, input) => {
    const label = document.createElement('label');
    const text = document.createElement('span');
    text.textContent = labelText;
    label.append(text, input);
    return label;
  };
  const id = Object.assign(document.createElement('input'), { name: 'deal', value: state.deal ?? '', size: 38, autocomplete: 'off', spellcheck: false });
  // The pickers have no zone: the labels say UTC, and the API gets instants that say so.
  const instantInput = (name, value) =>
    Object.assign(document.createElement('input'), { type: 'datetime-local', step: '0.001', name, value: value ? value.slice(0, 23) : '' });
  const asOf = instantInput('dealAsOf', state.dealAsOf);
  const knownAt = instantInput('dealKnownAt', state.dealKnownAt);
  const open = Object.assign(document.createElement('button'), { type: 'submit', textContent: tr.t('open') });
  form.append(field(tr.t('dealId'), id), field(tr.t('dealAsOf'), asOf), field(tr.t('dealKnownAt'), knownAt), open);
  const utc = (input) => (input.value ? new Date(`${input.value}Z`).toISOString() : undefined);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update({ deal: id.value.trim() || undefined, dealAsOf: utc(asOf), dealKnownAt: utc(knownAt) });
  });
  return form;
}
