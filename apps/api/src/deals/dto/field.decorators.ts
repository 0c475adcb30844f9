/**
 * Property decorators that state a DTO field once for both class-validator and OpenAPI, so the
 * documented contract and the enforced one cannot drift apart.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_AMOUNT } from '@funnel/domain/deal/deal.validation';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export interface FieldOptions {
  description?: string;
  example?: unknown;
  /** May be left out (but not sent as null). */
  optional?: boolean;
  /** May be left out or sent as null (“unknown”). */
  nullable?: boolean;
}

/** At least one character that is not white space: the domain needs a name, not its absence. */
const NOT_BLANK = /\S/;
const notBlank = (each = false) =>
  Matches(NOT_BLANK, { each, message: ({ property }) => `${each ? 'each value in ' : ''}${property} must not be blank` });

const MAX_TEXT = 4000;
const MAX_ITEMS = 500;

function documented(options: FieldOptions, schema: ApiPropertyOptions): PropertyDecorator {
  const { description, example, optional, nullable } = options;
  const base = { description, example, ...(nullable && { nullable: true }), ...schema } as ApiPropertyOptions;
  return optional || nullable ? ApiPropertyOptional(base) : ApiProperty(base);
}

/** Absent (or, when nullable, null) skips the other checks; required fields must be present. */
function presence(options: FieldOptions): PropertyDecorator[] {
  if (options.nullable) return [IsOptional()];
  if (options.optional) return [ValidateIf((_object, value) => value !== undefined)];
  return [IsDefined()];
}

/**
 * A string of at most 4000 characters. A required one must not be blank; `nonBlank` asks the same
 * of an optional one when given (an id the caller may choose or leave to the server).
 */
export function Text(options: FieldOptions & { nonBlank?: boolean } = {}): PropertyDecorator {
  const required = !options.optional && !options.nullable;
  const nonBlank = required || !!options.nonBlank;
  return applyDecorators(
    documented(options, { type: String, maxLength: MAX_TEXT, ...(nonBlank && { minLength: 1, pattern: NOT_BLANK.source }) }),
    ...presence(options),
    IsString(),
    ...(required ? [IsNotEmpty()] : []),
    ...(nonBlank ? [notBlank()] : []),
    MaxLength(MAX_TEXT),
  );
}

export function TextList(options: FieldOptions & { nonBlank?: boolean; unique?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, {
      type: String,
      isArray: true,
      maxItems: MAX_ITEMS,
      ...(options.unique && { uniqueItems: true }),
      ...(options.nonBlank && { items: { type: 'string', pattern: NOT_BLANK.source } }),
    }),
    ...presence(options),
    IsArray(),
    ArrayMaxSize(MAX_ITEMS),
    IsString({ each: true }),
    MaxLength(MAX_TEXT, { each: true }),
    ...(options.nonBlank ? [notBlank(true)] : []),
    ...(options.unique ? [ArrayUnique({ message: ({ property }) => `${property} must not name an item twice` })] : []),
  );
}

export function OneOf(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { enum: [...values], type: String }),
    ...presence(options),
    IsIn([...values], { message: ({ property }) => `${property} must be one of ${values.join(', ')}` }),
  );
}

export function OneOfList(values: readonly string[], options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { enum: [...values], isArray: true }),
    ...presence(options),
    IsArray(),
    ArrayMaxSize(MAX_ITEMS),
    IsIn([...values], { each: true, message: ({ property }) => `each of ${property} must be one of ${values.join(', ')}` }),
  );
}

/**
 * A number from 0 (above 0 when `positive`) to `max`, by default the domain's MAX_AMOUNT (money in
 * major units, minutes…): the read models store amounts as numeric(18,2).
 */
export function Amount(options: FieldOptions & { min?: number; max?: number; integer?: boolean; positive?: boolean } = {}): PropertyDecorator {
  const min = options.min ?? 0;
  const max = options.max ?? MAX_AMOUNT;
  return applyDecorators(
    documented(options, {
      type: options.integer ? 'integer' : Number,
      minimum: min,
      ...(options.positive && { exclusiveMinimum: true }),
      maximum: max,
    }),
    ...presence(options),
    IsNumber({ allowNaN: false, allowInfinity: false, ...(options.integer && { maxDecimalPlaces: 0 }) }),
    Min(min),
    ...(options.positive ? [IsPositive()] : []),
    Max(max),
  );
}

export function Currency(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, pattern: '^[A-Z]{3}$', example: options.example ?? 'EUR' }),
    ...presence(options),
    Matches(/^[A-Z]{3}$/, { message: ({ property }) => `${property} must be an ISO 4217 code such as EUR` }),
  );
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function CalendarDate(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'date', example: options.example ?? '2026-06-30' }),
    ...presence(options),
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: ({ property }) => `${property} must be a date YYYY-MM-DD` }),
    IsISO8601({ strict: true }, { message: ({ property }) => `${property} must be a real calendar date` }),
  );
}

/** Date, time and zone: a local time without its zone names no instant. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 instant with its time zone, e.g. 2026-03-02T09:30:00Z. */
export function Instant(options: FieldOptions = {}): PropertyDecorator {
  const message = ({ property }: { property: string }) => `${property} must be an ISO 8601 instant with a time zone, e.g. 2026-03-02T09:30:00Z`;
  return applyDecorators(
    documented(options, { type: String, format: 'date-time', example: options.example ?? '2026-03-02T09:30:00Z' }),
    ...presence(options),
    Matches(INSTANT, { message }),
    IsISO8601({ strict: true, strictSeparator: true }, { message }),
  );
}

export function Flag(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(documented(options, { type: Boolean }), ...presence(options), IsBoolean());
}

/**
 * A nested object (or, with `array`, a list of them) validated field by field. `uniqueBy` names
 * the field that identifies an item of the list: the same id twice is bad input.
 */
export function Nested(type: () => new () => object, options: FieldOptions & { array?: boolean; uniqueBy?: string } = {}): PropertyDecorator {
  const { uniqueBy } = options;
  const identify = (item: unknown) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[uniqueBy!] : item);
  return applyDecorators(
    // Swagger recognises a lazy type only by the function's name, `type`: keep it inline.
    documented(options, {
      type: () => type(),
      isArray: !!options.array,
      ...(uniqueBy && { description: [options.description, `No two items with the same ${uniqueBy}.`].filter(Boolean).join(' ') }),
    }),
    ...presence(options),
    ...(options.array ? [IsArray(), ArrayMaxSize(MAX_ITEMS)] : [IsObject()]),
    ...(options.array && uniqueBy
      ? [ArrayUnique(identify, { message: ({ property }) => `${property} must not give the same ${uniqueBy} twice` })]
      : []),
    ValidateNested({ each: !!options.array }),
    Type(type),
  );
}
