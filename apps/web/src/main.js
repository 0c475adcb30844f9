import { ApiError, get } from './api.js';
import { translateStatic, translator } from './i18n.js';
import { createPanel } from './panel.js';
import { adoptTokenFromFragment, claims, signIn, signOut, token } from './session.js';
import { FILTER_NAMES, readViewState, viewUrl, writeViewState } from './view-state.js';
import { anomaliesPanel } from './panels/anomalies.panel.js';
import { cohortConversionPanel } from './panels/cohort-conversion.panel.js';
import { dealAuditPanel } from './panels/deal-audit.panel.js';
import { dwellTimesPanel } from './panels/dwell-times.panel.js';
import { funnelAsOfPanel } from './panels/funnel-as-of.panel.js';
import { funnelNowPanel } from './panels/funnel-now.panel.js';
import { performancePanel } from './panels/performance.panel.js';
import { repsPanel } from './panels/reps.panel.js';

/** The panels in page order; each loads from the public API and renders into its frame. */
const PANELS = [funnelNowPanel, funnelAsOfPanel, dwellTimesPanel, performancePanel, cohortConversionPanel, repsPanel, anomaliesPanel, dealAuditPanel];

const $ = (id) => document.getElementById(id);

let playbook = null;
let state = readViewState();
let tr = translator(state.lang, null);
/** Per panel: its frame, its last answer, and a counter so a slow old answer never overwrites a newer one. */
const mounted = PANELS.map((definition) => ({ definition, frame: createPanel(definition.id, definition.wide), data: undefined, generation: 0 }));

/** Loads that answer 403 hide the panel; this lets one optional part of a panel be missing instead. */
const optional = (promise) => promise.catch((error) => (error instanceof ApiError && error.status === 403 ? null : Promise.reject(error)));

function context() {
  return { state, tr, get, optional, update, suggest, dealLink };
}

async function load(entry) {
  const generation = ++entry.generation;
  entry.frame.setState('loading', tr.t('loading'));
  try {
    const data = await entry.definition.load(context());
    if (generation !== entry.generation) return;
    entry.data = data;
    render(entry);
  } catch (error) {
    if (generation !== entry.generation) return;
    if (error instanceof ApiError && error.status === 401) return showSignIn(tr.t('tokenRefused', { message: error.message }));
    if (error instanceof ApiError && error.status === 403) return entry.frame.setState('forbidden', tr.t('forbidden'));
    entry.frame.begin(entry.definition.title(tr), tr.t);
    entry.frame.setState('error', tr.t('failed', { message: error.message }));
  }
}

function render(entry) {
  entry.frame.begin(entry.definition.title(tr), tr.t);
  entry.definition.render(entry.frame, entry.data, context());
  entry.frame.setState('ready');
}

/** Applies a change of view: the URL first (so it can be shared), then what depends on it. */
function update(patch) {
  const next = { ...state, ...patch };
  writeViewState(next);
  apply(next);
}

function apply(next) {
  const changed = new Set(Object.keys({ ...state, ...next }).filter((name) => state[name] !== next[name]));
  if (FILTER_NAMES.some((name) => changed.has(name))) changed.add('filters');
  state = next;
  if (changed.has('lang')) {
    tr = translator(state.lang, playbook);
    showChrome();
  }
  fillFilterForm();
  for (const entry of mounted) {
    const { reloadOn = [], rerenderOn = [] } = entry.definition;
    if (reloadOn.some((name) => changed.has(name))) load(entry);
    else if ((changed.has('lang') || rerenderOn.some((name) => changed.has(name))) && entry.data !== undefined) render(entry);
  }
}

function suggest(listId, values) {
  $(listId).replaceChildren(...values.map((value) => Object.assign(document.createElement('option'), { value })));
}

/** A link to a deal's audit view: a real URL (open in a new tab, share) that stays in the page on click. */
function dealLink(dealId, text) {
  const link = document.createElement('a');
  link.href = viewUrl({ ...state, deal: dealId, dealAsOf: undefined, dealKnownAt: undefined });
  link.textContent = text;
  link.dataset.deal = dealId;
  link.addEventListener('click', (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    update({ deal: dealId, dealAsOf: undefined, dealKnownAt: undefined });
    $('panel-deal').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  return link;
}

function fillFilterForm() {
  const form = $('filters');
  for (const name of FILTER_NAMES) form.elements[name].value = state[name] ?? '';
}

function showChrome() {
  translateStatic(document, tr.t, state.lang);
  $('lang-switch').textContent = state.lang === 'zh' ? 'English' : '中文';
  $('lang-switch').lang = state.lang === 'zh' ? 'en' : 'zh';
  $('playbook-name').textContent = playbook?.labels?.[state.lang] ?? '';
  const who = claims();
  $('who').textContent = who ? tr.t('signedInAs', { name: who.name ?? who.sub, roles: (who.roles ?? []).join(', ') }) : '';
}

function showSignIn(reason) {
  signOut();
  $('sign-in').hidden = false;
  $('sign-in-reason').textContent = reason;
  $('filters').hidden = true;
  $('sign-out').hidden = true;
  $('panels').hidden = true;
  showChrome();
}

function showDashboard() {
  $('sign-in').hidden = true;
  $('filters').hidden = false;
  $('sign-out').hidden = false;
  $('panels').hidden = false;
  showChrome();
  fillFilterForm();
  for (const entry of mounted) load(entry);
}

function wire() {
  $('panels').append(...mounted.map((entry) => entry.frame.section));
  $('lang-switch').addEventListener('click', () => update({ lang: state.lang === 'zh' ? 'en' : 'zh' }));
  $('sign-out').addEventListener('click', () => showSignIn(tr.t('signInNeeded')));
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token-input').value);
    $('token-input').value = '';
    showDashboard();
  });
  const filters = $('filters');
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const patch = {};
    for (const name of FILTER_NAMES) patch[name] = filters.elements[name].value.trim() || undefined;
    update(patch);
  });
  filters.addEventListener('reset', (event) => {
    event.preventDefault();
    update(Object.fromEntries(FILTER_NAMES.map((name) => [name, undefined])));
  });
  window.addEventListener('popstate', () => apply(readViewState()));
}

async function start() {
  adoptTokenFromFragment();
  wire();
  playbook = await get('/v1/playbook').catch(() => null);
  tr = translator(state.lang, playbook);
  if (token()) showDashboard();
  else showSignIn(tr.t('signInNeeded'));
}

start();
