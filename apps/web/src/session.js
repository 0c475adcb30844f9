/**
 * The bearer token lives in sessionStorage: it survives reloads of this tab and is gone when the
 * tab closes. `#token=…` in the URL (the link `npm start` prints) signs the tab in and is then
 * removed from the address bar and the history.
 */
const KEY = 'funnel.token';

export function adoptTokenFromFragment() {
  const match = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
  if (!match) return;
  signIn(decodeURIComponent(match[1]));
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** The token's claims, for showing who is signed in; the API alone decides what they allow. */
export function claims() {
  const value = token();
  if (!value) return null;
  try {
    const payload = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return null;
  }
}
