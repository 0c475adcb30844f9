/**
 * What the page shows lives in the URL query, so a view can be bookmarked and shared:
 * filters (team, owner, region, industry, from, to), the as-of date, the cohort switches,
 * the language and the deal being audited (with the two instants it is looked at: `dealAsOf`,
 * business time, and `dealKnownAt`, recorded time).
 */
export const FILTER_NAMES = ['team', 'owner', 'region', 'industry', 'from', 'to'];

const DEFAULTS = { skipPolicy: 'strict', rate: 'next', lang: 'en' };
const NAMES = [...FILTER_NAMES, 'asOf', 'skipPolicy', 'rate', 'lang', 'deal', 'dealAsOf', 'dealKnownAt'];

export function readViewState() {
  const query = new URLSearchParams(location.search);
  const state = { ...DEFAULTS };
  for (const name of NAMES) {
    const value = query.get(name);
    if (value) state[name] = value;
  }
  if (!['strict', 'any'].includes(state.skipPolicy)) state.skipPolicy = DEFAULTS.skipPolicy;
  if (!['next', 'won'].includes(state.rate)) state.rate = DEFAULTS.rate;
  if (!['en', 'zh'].includes(state.lang)) state.lang = DEFAULTS.lang;
  return state;
}

export function writeViewState(state) {
  history.pushState(null, '', viewUrl(state));
}

/** The page's URL for a state: defaults are left out to keep shared links short. */
export function viewUrl(state) {
  const query = new URLSearchParams();
  for (const name of NAMES) {
    const value = state[name];
    if (value && value !== DEFAULTS[name]) query.set(name, value);
  }
  const text = query.toString();
  return `${location.pathname}${text ? `?${text}` : ''}`;
}

/** The deal filters every endpoint takes. */
export function dealFilters(state) {
  return { team: state.team, owner: state.owner, region: state.region, industry: state.industry };
}

/** The business-time period of the analytics endpoints ([from, to)). */
export function period(state) {
  return { from: state.from, to: state.to };
}
