import { Instant } from './field.decorators';

export class DealAsOfQuery {
  @Instant({
    optional: true,
    description: 'Show the deal as it stood at this instant: only events recorded at or before it are folded.',
  })
  asOf?: string;
}
