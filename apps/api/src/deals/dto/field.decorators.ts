/**
 * Property decorators that state a DTO field once for both class-validator and OpenAPI, so the
 * documented contract and the enforced one cannot drift apart.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
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

export function Text(options: FieldOptions = {}): PropertyDecorator {
  const required = !options.optional && !options.nullable;
  return applyDecorators(
    documented(options, { type: String, maxLength: MAX_TEXT, ...(required && { minLength: 1 }) }),
    ...presence(options),
    IsString(),
    ...(required ? [IsNotEmpty()] : []),
    MaxLength(MAX_TEXT),
  );
}

export function TextList(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, isArray: true, maxItems: MAX_ITEMS }),
    ...presence(options),
    IsArray(),
    ArrayMaxSize(MAX_ITEMS),
    IsString({ each: true }),
    MaxLength(MAX_TEXT, { each: true }),
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

/** A number ≥ 0 (money in major units, minutes…), or within [min, max] when given. */
export function Amount(options: FieldOptions & { min?: number; max?: number; integer?: boolean } = {}): PropertyDecorator {
  const min = options.min ?? 0;
  return applyDecorators(
    documented(options, { type: options.integer ? 'integer' : Number, minimum: min, ...(options.max !== undefined && { maximum: options.max }) }),
    ...presence(options),
    IsNumber({ allowNaN: false, allowInfinity: false, ...(options.integer && { maxDecimalPlaces: 0 }) }),
    Min(min),
    ...(options.max !== undefined ? [Max(options.max)] : []),
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

/** A nested object (or, with `array`, a list of them) validated field by field. */
export function Nested(type: () => new () => object, options: FieldOptions & { array?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    // Swagger recognises a lazy type only by the function's name, `type`: keep it inline.
    documented(options, { type: () => type(), isArray: !!options.array }),
    ...presence(options),
    ...(options.array ? [IsArray(), ArrayMaxSize(MAX_ITEMS)] : [IsObject()]),
    ValidateNested({ each: !!options.array }),
    Type(type),
  );
}
