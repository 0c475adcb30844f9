import { Instant } from './field.decorators';

/** What every command body may carry: when it happened (business time; defaults to now). */
export class DealCommandDto {
  @Instant({
    optional: true,
    description: 'When it happened (ISO 8601 with a time zone). Defaults to now; not in the future, not before the deal was opened.',
  })
  occurredAt?: string;
}
