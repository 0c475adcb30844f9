import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

/** A calendar date (UTC midnight) or an instant that names its zone: never a local time. */
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function parseInstant(text: string): Date {
  return new Date(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text));
}

/**
 * The instants a query may name: years 0001–9999 in UTC. An offset can push 9999-12-31 into
 * year 10000, which JavaScript prints as "+010000-…" and PostgreSQL refuses to parse.
 */
const EARLIEST = new Date('0001-01-01T00:00:00.000Z').getTime();
const LATEST = new Date('9999-12-31T23:59:59.999Z').getTime();

export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_OR_INSTANT.test(value)) return false;
  const at = parseInstant(value);
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST || at.getTime() > LATEST) return false;
  // Date.parse rolls 2024-02-30 over to March; a real date survives the round trip.
  return value.length > 10 || at.toISOString().startsWith(value);
}

/** YYYY-MM-DD (UTC) or an ISO 8601 instant with Z or an offset. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a date (YYYY-MM-DD, UTC) or an ISO 8601 instant with a time zone, in years 0001–9999', ...options },
      validator: { validate: isInstant },
    });
}

/** Later than the sibling property `earlier` (when both are present and valid). */
export function IsLaterThan(earlier: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLaterThan',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [earlier],
      options: { message: `$property must be later than ${earlier}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[earlier];
          if (!isInstant(value) || !isInstant(other)) return true;
          return parseInstant(value).getTime() > parseInstant(other).getTime();
        },
      },
    });
}

/**
 * When the sibling `later` is absent (its default is now), earlier than now: a period whose `to`
 * defaults to now must still end after it starts.
 */
export function IsBeforeNowWithout(later: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBeforeNowWithout',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [later],
      options: { message: `$property must be earlier than now when ${later} is left out (${later} defaults to now)`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if ((args.object as Record<string, unknown>)[later] !== undefined || !isInstant(value)) return true;
          return parseInstant(value).getTime() < Date.now();
        },
      },
    });
}
