import { EventStore, EventToAppend } from '@funnel/event-store/event-store.port';
import { STAGE_CHANGE_EVENT_TYPES } from '@funnel/domain/deal/deal.events';
import { DEAL_STAGE_CHANGED_OUTBOUND } from '@funnel/integration/contract/deal-stage-changed.outbound';

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

/**
 * Every stage change in the store, in feed order, once the feed shows `count` of them (a commit
 * becomes readable only when no older transaction on the server is still running, and other
 * suites share the server).
 */
export async function stageChangesInFeed(store: EventStore, count: number): Promise<{ eventId: string; dealId: string }[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const events = await store.readAll({ after: 'start', maxCount: 100_000, filter: DEAL_STAGE_CHANGED_OUTBOUND.feedFilter });
    const changes = events.filter((e) => (STAGE_CHANGE_EVENT_TYPES as readonly string[]).includes(e.type));
    if (changes.length >= count) return changes.map((e) => ({ eventId: e.id, dealId: e.streamId.slice('deal-'.length) }));
    if (Date.now() > deadline) throw new Error(`the feed shows ${changes.length} of ${count} stage changes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
