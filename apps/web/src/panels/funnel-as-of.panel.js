import { renderFunnel } from './funnel-chart.js';
import { dealFilters } from '../view-state.js';

const DAY_MS = 86_400_000;
/** How far back the slider reaches; the calendar reaches any date. */
const SLIDER_DAYS = 3 * 365;

/** GET /v1/funnel?asOf=: the funnel exactly as it stood at the start of a chosen day (UTC). */
export const funnelAsOfPanel = {
  id: 'funnel-as-of',
  reloadOn: ['filters', 'asOf'],
  title: (tr) => tr.t('funnelAsOf'),
  async load({ state, get }) {
    return get('/v1/funnel', { ...dealFilters(state), asOf: asOfOf(state) });
  },
  render(panel, funnel, { state, tr, update }) {
    const asOf = asOfOf(state);
    panel.controls.replaceChildren(controls(asOf, tr, (value) => update({ asOf: value })));
    const date = tr.instant(funnel.asOf);
    renderFunnel(panel, funnel, tr, {
      caption: tr.t('funnelAsOfChart', { date }),
      chartLabel: tr.t('funnelAsOfChart', { date }),
    });
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = tr.t('funnelAsOfNote', { date });
    panel.body.append(note);
  },
};

/** The chosen day, or 30 days ago. */
function asOfOf(state) {
  return state.asOf ?? isoDate(Date.now() - 30 * DAY_MS);
}

function controls(asOf, tr, choose) {
  const wrap = document.createElement('div');
  wrap.className = 'as-of-controls';

  const dateLabel = document.createElement('label');
  const dateText = document.createElement('span');
  dateText.textContent = tr.t('asOfDate');
  const date = document.createElement('input');
  date.type = 'date';
  date.name = 'asOf';
  date.value = asOf.slice(0, 10);
  date.max = isoDate(Date.now());
  date.addEventListener('change', () => date.value && choose(date.value));
  dateLabel.append(dateText, date);

  const sliderLabel = document.createElement('label');
  const sliderText = document.createElement('span');
  sliderText.textContent = tr.t('asOfSlider');
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.name = 'asOfDaysBack';
  slider.min = '0';
  slider.max = String(SLIDER_DAYS);
  // The slider counts days back from today, so "right" is "recent".
  slider.dir = 'rtl';
  const daysBack = Math.round((startOfToday() - Date.parse(`${asOf.slice(0, 10)}T00:00:00Z`)) / DAY_MS);
  slider.value = String(Math.min(SLIDER_DAYS, Math.max(0, daysBack)));
  slider.setAttribute('aria-valuetext', asOf.slice(0, 10));
  slider.addEventListener('input', () => {
    date.value = isoDate(startOfToday() - Number(slider.value) * DAY_MS);
    slider.setAttribute('aria-valuetext', date.value);
  });
  slider.addEventListener('change', () => choose(date.value));
  sliderLabel.append(sliderText, slider);

  wrap.append(dateLabel, sliderLabel);
  return wrap;
}

function startOfToday() {
  return Date.parse(`${isoDate(Date.now())}T00:00:00Z`);
}

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
