/**
 * The deal decider in one value, for a command handler: load the stream, fold `evolve` from
 * `initialState`, `decide`, append. See deal.events.ts, deal.state.ts, deal.evolve.ts and
 * deal.decide.ts for the story.
 */
import { decide } from './deal.decide';
import { initialState } from './deal.state';
import { evolve } from './deal.evolve';

export const dealDecider = { decide, evolve, initialState } as const;
