/**
 * Reading one value of a source row: a date or instant, an amount, a currency. Each returns the
 * value or a reason in words, which becomes the row's problem report.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A business time as a canonical ISO instant. A date alone (2016-10-20) is 00:00 UTC that day;
 * an instant must name its zone (Z, +01:00 or +0100, as Salesforce writes it).
 */
export function parseBusinessTime(text: string, field: string): Parsed<string> {
  const day = DAY.exec(text);
  if (day) {
    const at = new Date(`${text}T00:00:00.000Z`);
    if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text) return { ok: false, reason: `${field} "${text}" is not a real date` };
    return { ok: true, value: at.toISOString() };
  }
  const instant = INSTANT.exec(text);
  if (!instant) return { ok: false, reason: `${field} "${text}" is not a date (YYYY-MM-DD) nor an instant with a time zone` };
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone] = instant;
  const normalisedZone = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${normalisedZone}`);
  const calendar = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(at.getTime()) || calendar.toISOString().slice(0, 10) !== `${y}-${mo}-${d}` || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return { ok: false, reason: `${field} "${text}" is not a real instant` };
  }
  return { ok: true, value: at.toISOString() };
}

/** Same bound as the deal commands (MAX_AMOUNT): what numeric(18,2) holds and a double adds exactly. */
const MAX_AMOUNT = 1e15;

export function parseAmount(text: string, field: string): Parsed<number> {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, reason: `${field} "${text}" is not a number` };
  const value = Number(text);
  if (value < 0 || value > MAX_AMOUNT) return { ok: false, reason: `${field} ${text} is outside 0 to ${MAX_AMOUNT}` };
  return { ok: true, value };
}

export function parseCurrency(text: string, field: string): Parsed<string> {
  const code = text.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return { ok: false, reason: `${field} "${text}" is not an ISO 4217 code such as USD` };
  return { ok: true, value: code };
}
