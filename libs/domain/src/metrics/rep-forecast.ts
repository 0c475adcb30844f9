/** A ForecastUpdated as the deal timeline read model keeps it, with both of its times. */
export interface RepForecast {
  dealId: string;
  /** The event's revision in its deal's stream: orders forecasts that share an occurredAt. */
  revision: number;
  occurredAt: Date;
  recordedAt: Date;
  /** 0…100 */
  probability: number;
  /** YYYY-MM-DD */
  expectedCloseDate: string;
  /** Owner and team of the deal when the forecast was made (the rep who made it); the account's region and industry. */
  owner: string;
  team: string;
  region: string;
  industry: string;
}

/** Each deal's latest forecast made by asOf and recorded by knownAt (business time, then stream order). */
export function latestForecasts(forecasts: readonly RepForecast[], asOf: Date, knownAt?: Date): Map<string, RepForecast> {
  const known = knownAt?.getTime() ?? Infinity;
  const latest = new Map<string, RepForecast>();
  for (const f of forecasts) {
    if (f.occurredAt.getTime() > asOf.getTime() || f.recordedAt.getTime() > known) continue;
    const current = latest.get(f.dealId);
    if (!current || f.occurredAt.getTime() > current.occurredAt.getTime() || (f.occurredAt.getTime() === current.occurredAt.getTime() && f.revision > current.revision)) {
      latest.set(f.dealId, f);
    }
  }
  return latest;
}
