import { Instant } from './field.decorators';

/** The two time axes of a deal query (see docs/audit.md). */
export class DealAsOfQuery {
  @Instant({
    optional: true,
    description:
      'Business time: the deal as it stood in the world at this instant — every event whose occurredAt is at or before it, ' +
      'including facts recorded later about earlier moments.',
  })
  asOf?: string;

  @Instant({
    optional: true,
    description:
      'Recorded time: the deal as the system knew it at this instant — only events recorded at or before it. ' +
      'With asOf: what was known at knownAt about the deal at asOf.',
  })
  knownAt?: string;
}
