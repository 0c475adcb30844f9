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

/** GET /v1/anomalies answers a list in `items`; a paged answer may carry a cursor too, or be a bare list. */
export function anomalyItems(answer) {
  if (Array.isArray(answer)) return answer;
  return Array.isArray(answer?.items) ? answer.items : [];
}
