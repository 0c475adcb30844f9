/**
 * The two time axes of every answer about the past. `asOf` is business time (an event's
 * `occurredAt`: when it happened in the world); `knownAt` is recorded time (when the store wrote
 * it down). Both together answer "what did we know at K about the state at T". Every answer
 * names the axis it used, so an auditor never reads one for the other.
 */
export type TimeAxis =
  | 'current' // neither: everything recorded, as it stands now
  | 'business' // asOf only: every fact dated at or before asOf, however late it was recorded
  | 'recorded' // knownAt only: what the store held at knownAt
  | 'bitemporal'; // both: what the store held at knownAt about the world at asOf

export interface TimeAxes {
  axis: TimeAxis;
  /** Business-time instant (ISO), or null. */
  asOf: string | null;
  /** Recorded-time instant (ISO), or null. */
  knownAt: string | null;
}

export function timeAxes(asOf: Date | null | undefined, knownAt: Date | null | undefined): TimeAxes {
  const axis: TimeAxis = asOf ? (knownAt ? 'bitemporal' : 'business') : knownAt ? 'recorded' : 'current';
  return { axis, asOf: asOf ? asOf.toISOString() : null, knownAt: knownAt ? knownAt.toISOString() : null };
}

/** A stored fact seen on both axes: its business time and when it was recorded. */
export interface BitemporalFact {
  occurredAt: Date;
  recordedAt: Date;
}

/** Whether a fact belongs to the answer on these axes (bounds inclusive). */
export function visibleOn(fact: BitemporalFact, asOf: Date | null | undefined, knownAt: Date | null | undefined): boolean {
  if (knownAt && fact.recordedAt.getTime() > knownAt.getTime()) return false;
  if (asOf && fact.occurredAt.getTime() > asOf.getTime()) return false;
  return true;
}
