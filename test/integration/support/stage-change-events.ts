import { EventToAppend } from '@funnel/event-store/event-store.port';

const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();

/**
 * A deal's story as the store records it: opened, then up the funnel, then won or lost.
 * `length` stage changes in all (1 = only opened).
 */
export function dealStory(dealId: string, length: number, options: { owner?: string; team?: string } = {}): EventToAppend[] {
  const stages = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON'];
  const events: EventToAppend[] = [
    {
      type: 'DealOpened',
      data: {
        dealId,
        account: { name: 'Acme', industry: 'Manufacturing', region: 'EMEA' },
        owner: options.owner ?? 'alice',
        team: options.team ?? 'north',
        amount: 50000,
        currency: 'EUR',
        stage: 'TARGET',
        occurredAt: at(0),
        playbookVersion: '2026.1',
      },
      metadata: { actor: { id: options.owner ?? 'alice' } },
    },
  ];
  for (let i = 1; i < Math.min(length, stages.length); i++) {
    events.push({
      type: 'StageAdvanced',
      data: { from: stages[i - 1], to: stages[i], skipped: [], occurredAt: at(i), playbookVersion: '2026.1' },
      metadata: { actor: { id: options.owner ?? 'alice' } },
    });
  }
  return events;
}

/** The next stage change after `revision` stage changes (for appending a deal's story step by step). */
export function nextChange(dealId: string, step: number): EventToAppend {
  return dealStory(dealId, step + 1)[step];
}
