/**
 * Field checks that keep recorded events meaningful. The API validates shapes first; these hold
 * for any caller (imports, CLI, tests) and refuse with INVALID_COMMAND naming the field.
 */
import { DomainError } from './deal.errors';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

function invalid(field: string, expectation: string): never {
  throw new DomainError('INVALID_COMMAND', `${field} ${expectation}`);
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(field, 'is required');
  return value;
}

/**
 * The largest amount a command may carry (10^15 in major units): far above any real order, and
 * within what the read models store (numeric(18,2)) and what a double adds up exactly.
 */
export const MAX_AMOUNT = 1e15;

export function requireAmount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_AMOUNT) {
    invalid(field, `must be a number from 0 to ${MAX_AMOUNT}`);
  }
  return value;
}

export function requireCurrency(value: unknown, field: string): string {
  if (typeof value !== 'string' || !CURRENCY.test(value)) invalid(field, 'must be an ISO 4217 code such as EUR');
  return value;
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function requireDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) invalid(field, 'must be a date YYYY-MM-DD');
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) invalid(field, 'must be a real date');
  return value;
}

export function requireInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) invalid(field, 'must be an ISO 8601 instant');
  return value;
}

export function requireBetween(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(field, `must be a number from ${min} to ${max}`);
  }
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(field, 'must be true or false');
  return value;
}

export function requireArray<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (!Array.isArray(value)) invalid(field, 'must be a list');
  return value;
}

/** A fresh `<prefix>-<n>` id not yet taken: ids must be deterministic, decide is pure. */
export function nextId(prefix: string, taken: readonly string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}
