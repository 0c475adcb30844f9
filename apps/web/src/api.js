import { token } from './session.js';

/** A refusal by the API, with its status (401, 403, 404, …) and error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ? [].concat(body.message).join('; ') : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** GET a public API path with the session's bearer token; empty parameters are left out. */
export async function get(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(url, { headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** GET /v1/anomalies answers a list in `items` (with a `next` cursor when paged), or a bare list. */
export function anomalyItems(answer) {
  if (Array.isArray(answer)) return answer;
  return Array.isArray(answer?.items) ? answer.items : [];
}

/** The cursor of the next page of anomalies, if there is one. */
export function anomalyCursor(answer) {
  return Array.isArray(answer) ? null : (answer?.next ?? null);
}

/**
 * Every event of a deal's history, oldest first. /history answers a bare list, or pages
 * (`{ events, page: { next } }`, continued with `after=next`): all pages are read.
 */
export async function dealHistory(dealId, params = {}) {
  const path = `/v1/deals/${encodeURIComponent(dealId)}/history`;
  const events = [];
  let after;
  for (let page = 0; page < 100; page++) {
    const answer = await get(path, { ...params, after });
    if (Array.isArray(answer)) return answer;
    events.push(...(answer.events ?? answer.items ?? []));
    after = answer.page?.next ?? answer.next ?? null;
    if (after === null || after === undefined) break;
  }
  return events;
}
