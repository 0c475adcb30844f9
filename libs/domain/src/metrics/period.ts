/** A reporting period over business time: `from` inclusive, `to` exclusive, either open-ended. */
export interface Period {
  from?: Date;
  to?: Date;
}

export function inPeriod(at: Date, period: Period): boolean {
  return (!period.from || at.getTime() >= period.from.getTime()) && (!period.to || at.getTime() < period.to.getTime());
}
