/**
 * Runs the demo story through the real command path — the DealCommandExecutor of the running
 * Nest application, the one every HTTP command goes through: every step decided by its
 * decideOn (access, the decider and its gates on the facts recorded so far, the events'
 * envelope), each deal's story appended in one atomic append (hash chain, expected revision) —
 * in-process, several deals at a time. A deal already in the store (the same seed run before) is
 * left as it is, so running the demo twice adds nothing.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '@funnel/domain/deal/deal.errors';
import { DealEvent, dealStreamId } from '@funnel/domain/deal/deal.events';
import { evolve, foldDeal } from '@funnel/domain/deal/deal.evolve';
import { StreamNotFoundError, WrongExpectedVersionError } from '@funnel/event-store/event-store.errors';
import { EventStore, EventToAppend } from '@funnel/event-store/event-store.port';
import { formatPosition } from '@funnel/event-store/global-position';
import { DEAL_UPCASTERS } from '@funnel/event-store/upcasting/deal-event.upcasters';
import { Actor } from '../auth/actor';
import { DealCommandExecutor } from '../deals/deal-command.executor';
import { DealRequest } from '../deals/deal-request';
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

/**
 * One deal's story, decided step by step with the executor's own decideOn (access, decider,
 * gates, envelope metadata) on the deal as folded so far — the events each step decided, read
 * back as the store would give them — then appended in one atomic append that expects no stream
 * yet, so the store chains and hashes them as it does any append. A step the domain refuses ends
 * the story there, as it would over HTTP: what was decided before it is appended.
 */
async function runDeal(executor: DealCommandExecutor, store: EventStore, dealId: string, story: DemoDeal, summary: DemoSummary): Promise<string | undefined> {
  if (await exists(store, dealId)) {
    summary.alreadyThere += 1;
    return undefined;
  }
  const correlationId = randomUUID();
  const told: StoryTally = { commands: 0, overrides: 0, regressions: 0, reopenings: 0, status: 'open' };
  const decided: EventToAppend[] = [];
  let state = foldDeal([]);
  for (const step of story.steps) {
    let events: EventToAppend[];
    try {
      const envelope = { actor: actorOf(step.actor, story), correlationId, causationId: randomUUID() };
      const revision = decided.length === 0 ? 'no_stream' : decided.length - 1;
      events = executor.decideOn(dealId, step.request, state, revision, envelope, { idFor: () => randomUUID(), deterministic: false });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      summary.refused.push({ dealId, command: step.request.type, code: error.code, message: error.message });
      break; // the rest of the story assumed this step
    }
    for (const event of events) state = evolve(state, asReadBack(event));
    decided.push(...events);
    tally(told, step.request);
  }
  if (decided.length === 0) return undefined;
  try {
    const appended = await store.appendToStream(dealStreamId(dealId), decided, { expectedRevision: 'no_stream' });
    summary.commands += told.commands;
    summary.overrides += told.overrides;
    summary.regressions += told.regressions;
    summary.reopenings += told.reopenings;
    summary[told.status] += 1;
    return formatPosition(appended.position);
  } catch (error) {
    // Another run of the same seed told this deal first: it is there, as in the check above.
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    summary.alreadyThere += 1;
    return undefined;
  }
}

interface StoryTally {
  commands: number;
  overrides: number;
  regressions: number;
  reopenings: number;
  status: 'open' | 'won' | 'lost';
}

function tally(t: StoryTally, r: DealRequest): void {
  t.commands += 1;
  if (r.type === 'MoveStage') {
    if (r.data.override) t.overrides += 1;
    if (r.data.reason && !r.data.override) t.regressions += 1;
    if (r.data.to === 'WON') t.status = 'won';
  }
  if (r.type === 'MarkLost') t.status = 'lost';
  if (r.type === 'ReopenDeal') {
    t.reopenings += 1;
    t.status = 'open';
  }
}

/** A decided event as the executor's next read would fold it: through JSON (jsonb) and the upcasters. */
function asReadBack(event: EventToAppend): DealEvent {
  const stored = JSON.parse(JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata ?? {} })) as { type: string; data: unknown; metadata: Record<string, unknown> };
  const current = DEAL_UPCASTERS.upcast(stored);
  return { type: current.type, data: current.data } as DealEvent;
}

/**
 * Who sends each step: the owner, the team's manager (scoped to the team: the token's `teams`
 * claim), finance. Object.assign keeps this valid whether or not Actor declares `teams` yet.
 */
export function actorOf(kind: DemoActorKind, story: DemoDeal): Actor {
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
