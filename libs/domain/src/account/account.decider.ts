/**
 * The account decider in one value, for a command handler: load `account-<id>`, fold
 * `evolveAccount` from `initialAccountState`, `decideAccount`, append. See account.events.ts,
 * account.state.ts, account.evolve.ts and account.decide.ts for the story.
 */
import { decideAccount } from './account.decide';
import { evolveAccount } from './account.evolve';
import { initialAccountState } from './account.state';

export const accountDecider = { decide: decideAccount, evolve: evolveAccount, initialState: initialAccountState } as const;
