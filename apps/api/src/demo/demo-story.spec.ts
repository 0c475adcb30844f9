/**
 * The demo story fits the rules: replayed through `decide` in memory (the rules the real command
 * path applies), no step of thousands of deals, over several seeds, is refused.
 */
import { decide } from '@funnel/domain/deal/deal.decide';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { DealEvent } from '@funnel/domain/deal/deal.events';
import { foldDeal } from '@funnel/domain/deal/deal.evolve';
import { ExistingDealState } from '@funnel/domain/deal/deal.state';
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { commandFor, ExistingDealRequest, openDealCommand } from '../deals/deal-request';
import { demoDeals } from './demo-story';

const ROLES = { rep: ['rep'], manager: ['rep', 'manager'], finance: ['finance'] };

describe('the demo story', () => {
  it.each([1, 2026])('with seed %i passes every gate it claims to pass', (seed) => {
    const now = new Date();
    const refused: string[] = [];
    const overrides = { manager: 0, other: 0 };
    for (const deal of demoDeals(1500, seed, now)) {
      const events: DealEvent[] = [];
      for (const step of deal.steps) {
        const state = foldDeal(events);
        const command =
          step.request.type === 'OpenDeal'
            ? openDealCommand('6f1c2a4e-8b1d-4c3e-9f7a-2d5e8c9b0a11', step.request)
            : commandFor(step.request as ExistingDealRequest, state as ExistingDealState);
        try {
          events.push(...decide(command, state, { now, actor: { id: step.actor, roles: ROLES[step.actor] }, playbook: DEFAULT_PLAYBOOK }));
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refused.push(`${command.type}: ${error.code} ${error.message}`);
          break;
        }
        const last = events[events.length - 1];
        if (last.type === 'StageAdvanced' && last.data.override) overrides[step.actor === 'manager' ? 'manager' : 'other'] += 1;
      }
    }
    expect(refused).toEqual([]);
    expect(overrides.manager).toBeGreaterThan(0);
    expect(overrides.other).toBe(0);
  });
});
