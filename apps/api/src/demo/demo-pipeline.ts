/**
 * Runs the demo story through the real command path — the DealCommandExecutor of the running
 * Nest application, the one every HTTP command goes through: load the stream, fold, decide
 * (gates and all), append — in-process, several deals at a time. A deal already in the store (the same seed run before) is left as it
 * is, so running the demo twice adds nothing.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { StreamNotFoundError } from '@funnel/event-store/event-store.errors';
import { EventStore } from '@funnel/event-store/event-store.port';
import { Actor } from '../auth/actor';
import { DealCommandExecutor } from '../deals/deal-command.executor';
import { deterministicUuid } from '../idempotency/deterministic-uuid';
import { DEMO_FINANCE, DemoActorKind, DemoDeal, demoDeals } from './demo-story';

export interface DemoOptions {
  deals: number;
  seed: number;
  now?: Date;
  concurrency?: number;
  onDeal?: (done: number, total: number) => void;
}

export interface DemoSummary {
  deals: number;
  /** Deals already in the store from an earlier run with this seed: left alone. */
  alreadyThere: number;
  commands: number;
  won: number;
  lost: number;
  open: number;
  overrides: number;
  regressions: number;
  reopenings: number;
  /** Commands the domain refused (a story that does not fit the rules): none expected. */
  refused: { dealId: string; command: string; code: string; message: string }[];
  /** Feed position of the last event appended, for ?waitFor=. */
  position: string | null;
}

export async function runDemo(executor: DealCommandExecutor, store: EventStore, options: DemoOptions): Promise<DemoSummary> {
  const now = options.now ?? new Date();
  const stories = [...demoDeals(options.deals, options.seed, now)];
  const summary: DemoSummary = { deals: stories.length, alreadyThere: 0, commands: 0, won: 0, lost: 0, open: 0, overrides: 0, regressions: 0, reopenings: 0, refused: [], position: null };
  let next = 0;
  let done = 0;
  let lastPosition: { text: string; commit: bigint; prepare: bigint } | undefined;
  const worker = async () => {
    while (next < stories.length) {
      const index = next++;
      const dealId = deterministicUuid('funnel-demo', String(options.seed), String(index));
      const position = await runDeal(executor, store, dealId, stories[index], summary);
      if (position) {
        const [commit, prepare] = position.split(':').map(BigInt);
        if (!lastPosition || commit > lastPosition.commit || (commit === lastPosition.commit && prepare > lastPosition.prepare)) {
          lastPosition = { text: position, commit, prepare };
        }
      }
      options.onDeal?.(++done, stories.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  summary.position = lastPosition?.text ?? null;
  return summary;
}

async function runDeal(executor: DealCommandExecutor, store: EventStore, dealId: string, story: DemoDeal, summary: DemoSummary): Promise<string | undefined> {
  if (await exists(store, dealId)) {
    summary.alreadyThere += 1;
    return undefined;
  }
  const correlationId = randomUUID();
  let position: string | undefined;
  let status: 'open' | 'won' | 'lost' = 'open';
  for (const step of story.steps) {
    try {
      const envelope = { actor: actorOf(step.actor, story), correlationId, causationId: randomUUID() };
      const result = await executor.execute(dealId, step.request, envelope, { idFor: () => randomUUID(), deterministic: false });
      position = result.position;
      summary.commands += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      summary.refused.push({ dealId, command: step.request.type, code: error.code, message: error.message });
      break; // the rest of the story assumed this step
    }
    const r = step.request;
    if (r.type === 'MoveStage') {
      if (r.data.override) summary.overrides += 1;
      if (r.data.reason && !r.data.override) summary.regressions += 1;
      if (r.data.to === 'WON') status = 'won';
    }
    if (r.type === 'MarkLost') status = 'lost';
    if (r.type === 'ReopenDeal') {
      summary.reopenings += 1;
      status = 'open';
    }
  }
  summary[status] += 1;
  return position;
}

/**
 * Who sends each step: the owner, the team's manager (scoped to the team: the token's `teams`
 * claim), finance. Object.assign keeps this valid whether or not Actor declares `teams` yet.
 */
function actorOf(kind: DemoActorKind, story: DemoDeal): Actor {
  const person = (id: string, roles: Actor['roles'], teams: string[]): Actor => Object.assign({ id, name: id, roles }, { teams });
  switch (kind) {
    case 'rep':
      return person(story.owner, ['rep'], [story.team]);
    case 'manager':
      return person(story.manager, ['rep', 'manager'], [story.team]);
    case 'finance':
      return person(DEMO_FINANCE, ['finance'], []);
    default: {
      const _: never = kind;
      return _;
    }
  }
}

async function exists(store: EventStore, dealId: string): Promise<boolean> {
  try {
    return (await store.readStream(dealStreamId(dealId), { maxCount: 1 })).length > 0;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return false;
    throw error;
  }
}
