/**
 * Deterministic, realistic deal histories made of the real event types, for projection specs,
 * rebuild-equality tests, analytics tests and the rebuild benchmark. A deal is opened, worked
 * (visits, profile, problems, assessments, stakeholders, quotes, forecasts…) and moved through
 * the stages; some skip a stage with a manager's override, some regress, some are lost (and a
 * few reopened), some are won, the rest are still open at the end of the period.
 */
import { DealEvent, dealStreamId, StageOverride } from '@funnel/domain/deal/deal.events';
import { ASSESSMENT_KINDS, AssessmentKind, Mark } from '@funnel/domain/playbook/assessment-kind';
import { BUYING_ROLES } from '@funnel/domain/playbook/buying-role';
import { NEED_DIMENSIONS } from '@funnel/domain/playbook/need';
import { Stage, STAGES, stagesBetween } from '@funnel/domain/playbook/stage';
import { SeededRandom } from './seeded-random';

export interface GeneratedDeal {
  dealId: string;
  streamId: string;
  events: DealEvent[];
}

export interface DealHistoryOptions {
  deals: number;
  seed?: number;
  /** Deals are opened between `from` and `from + spanDays`; nothing happens after `until`. */
  from?: Date;
  spanDays?: number;
  until?: Date;
}

export const GENERATOR_PLAYBOOK_VERSION = 'default/1';

export const GENERATED_TEAMS = ['north', 'south', 'east', 'west'] as const;
export const GENERATED_OWNERS: Record<(typeof GENERATED_TEAMS)[number], string[]> = {
  north: ['rep-ann', 'rep-bo', 'rep-cy'],
  south: ['rep-dee', 'rep-eli', 'rep-fu'],
  east: ['rep-gus', 'rep-hao', 'rep-ida'],
  west: ['rep-jon', 'rep-kai', 'rep-lin'],
};
export const GENERATED_REGIONS = ['EMEA', 'APAC', 'AMER', 'CN-EAST', 'CN-SOUTH'] as const;
export const GENERATED_INDUSTRIES = ['manufacturing', 'logistics', 'retail', 'energy', 'healthcare', 'finance', 'education', 'public'] as const;
const COMPETITORS = ['Acme Systems', 'Globex', 'Initech', 'Umbrella Software'];
const LOST_REASONS = ['price', 'lost to competitor', 'no budget', 'project cancelled', 'no decision'];
const CURRENCIES: [string, number][] = [['EUR', 6], ['CNY', 3], ['USD', 1]];
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The deals one by one (a generator: a million events need not sit in memory at once). */
export function* generateDealHistories(options: DealHistoryOptions): Generator<GeneratedDeal> {
  const random = new SeededRandom(options.seed ?? 20240101);
  const from = options.from ?? new Date('2024-01-01T00:00:00Z');
  const spanDays = options.spanDays ?? 540;
  const until = options.until ?? new Date(from.getTime() + (spanDays + 120) * DAY);
  for (let i = 0; i < options.deals; i++) {
    const openedAt = from.getTime() + random.next() * spanDays * DAY;
    yield new DealStory(random, openedAt, until.getTime()).tell();
  }
}

/** Every deal's events merged in business-time order: the order a live system would record them. */
export function interleaveByOccurredAt(deals: readonly GeneratedDeal[]): { streamId: string; event: DealEvent }[] {
  const all = deals.flatMap((d) => d.events.map((event, index) => ({ streamId: d.streamId, event, index })));
  all.sort((a, b) => Date.parse(a.event.data.occurredAt) - Date.parse(b.event.data.occurredAt) || a.index - b.index);
  return all.map(({ streamId, event }) => ({ streamId, event }));
}

class DealStory {
  private readonly events: DealEvent[] = [];
  private readonly dealId: string;
  private stage: Stage = 'TARGET';
  private team: (typeof GENERATED_TEAMS)[number];
  private owner: string;
  private visits = 0;
  private readonly unreviewed: string[] = [];
  private assessmentRevision = 0;
  private quotes = 0;
  private readonly amount: number;
  private readonly currency: string;

  constructor(
    private readonly random: SeededRandom,
    private now: number,
    private readonly until: number,
  ) {
    this.dealId = random.uuid();
    this.team = random.pick(GENERATED_TEAMS);
    this.owner = random.pick(GENERATED_OWNERS[this.team]);
    this.amount = random.int(100, 20_000) * 100 + (random.chance(0.2) ? random.int(1, 99) / 100 : 0);
    this.currency = random.weighted(CURRENCIES);
  }

  tell(): GeneratedDeal {
    const r = this.random;
    this.record('DealOpened', {
      dealId: this.dealId,
      account: {
        name: `${r.pick(['Nordwind', 'Huaxin', 'Blue Harbor', 'Sanming', 'Keystone', 'Ostrava', 'Pacific Crest'])} ${r.pick(['Steel', 'Logistics', 'Foods', 'Power', 'Clinics', 'Bank', 'Labs'])} ${r.int(1, 999)}`,
        industry: r.pick(GENERATED_INDUSTRIES),
        region: r.pick(GENERATED_REGIONS),
        ...(r.chance(0.7) ? { size: r.pick(['50-200 employees', '200-500 employees', '500-2000 employees', '2000+ employees']) } : {}),
      },
      owner: this.owner,
      team: this.team,
      amount: this.amount,
      currency: this.currency,
      ...(r.chance(0.5) ? { source: r.pick(['inbound', 'referral', 'trade fair', 'outbound']) } : {}),
      stage: 'TARGET',
      playbookVersion: GENERATOR_PLAYBOOK_VERSION,
    });
    let lostOnce = false;
    while (this.stage !== 'WON') {
      this.work();
      if (!this.advanceClock(r.int(2, 30) * DAY)) break;
      if (r.chance(0.04)) this.reassign();
      const move = r.weighted<'advance' | 'skip' | 'regress' | 'lose' | 'stall'>([
        ['advance', 62],
        ['skip', this.stage === 'TARGET' || this.stage === 'POTENTIAL' || this.stage === 'INTENT' ? 5 : 0],
        ['regress', this.stage === 'TARGET' ? 0 : 8],
        ['lose', 11],
        ['stall', 14],
      ]);
      if (move === 'stall') continue;
      if (move === 'regress') {
        const to = STAGES[r.int(0, STAGES.indexOf(this.stage) - 1)];
        this.record('StageRegressed', { from: this.stage, to, skipped: stagesBetween(to, this.stage), reason: r.pick(['budget frozen', 'approval withdrawn', 'sponsor left']) });
        this.stage = to;
        continue;
      }
      if (move === 'lose') {
        this.record('DealLost', {
          from: this.stage,
          reason: r.pick(LOST_REASONS),
          ...(r.chance(0.5) ? { competitor: r.pick(COMPETITORS) } : {}),
        });
        if (lostOnce || !r.chance(0.2) || !this.advanceClock(r.int(10, 90) * DAY)) break;
        lostOnce = true;
        this.record('DealReopened', { to: this.stage, reason: 'customer came back' });
        continue;
      }
      const to = move === 'skip' ? STAGES[STAGES.indexOf(this.stage) + 2] : STAGES[STAGES.indexOf(this.stage) + 1];
      if (to === 'WON') this.closeTheDeal();
      const override: StageOverride | undefined =
        move === 'skip' || r.chance(0.03)
          ? {
              by: r.pick(['manager-mia', 'manager-max']),
              reason: r.pick(['strategic account', 'customer deadline', 'board decision']),
              unmetAtOverride: [{ code: `${to}.FORECAST_PROBABILITY`, message: 'the forecast probability is too low' }],
            }
          : undefined;
      this.record('StageAdvanced', {
        from: this.stage,
        to,
        skipped: stagesBetween(this.stage, to),
        ...(override ? { override } : {}),
        playbookVersion: GENERATOR_PLAYBOOK_VERSION,
      });
      this.stage = to;
    }
    return { dealId: this.dealId, streamId: dealStreamId(this.dealId), events: this.events };
  }

  /** What a seller does in a stage: a few facts recorded, in the stage's manner. */
  private work(): void {
    const r = this.random;
    const steps = r.int(1, 4);
    for (let i = 0; i < steps; i++) {
      if (!this.advanceClock(r.int(1, 72) * HOUR)) return;
      const kind = r.weighted<string>([
        ['visit', 5],
        ['review', this.unreviewed.length ? 3 : 0],
        ['profile', this.stage === 'TARGET' || this.stage === 'POTENTIAL' ? 2 : 0],
        ['problem', this.stage === 'POTENTIAL' || this.stage === 'INTENT' ? 2 : 0],
        ['interest', this.stage === 'INTENT' ? 2 : 0],
        ['initiation', this.stage === 'PROJECT' ? 2 : 0],
        ['assessment', 2],
        ['stakeholder', 2],
        ['procurement', this.stage === 'PROJECT' || this.stage === 'APPROVED' ? 2 : 0],
        ['competitor', 1],
        ['quote', this.stage === 'APPROVED' || this.stage === 'NEGOTIATION' ? 2 : 0],
        ['forecast', 2],
        ['action', 2],
        ['condition', this.stage === 'NEGOTIATION' ? 2 : 0],
      ]);
      this.recordWork(kind);
    }
  }

  private recordWork(kind: string): void {
    const r = this.random;
    switch (kind) {
      case 'visit': {
        const visitId = `v-${++this.visits}`;
        const reviewed = r.chance(0.5);
        if (!reviewed) this.unreviewed.push(visitId);
        this.record('VisitRecorded', {
          visitId,
          preparation: {
            date: new Date(this.now - r.int(1, 48) * HOUR).toISOString(),
            durationMinutes: r.pick([30, 45, 60, 90]),
            purpose: r.pick(['first meeting', 'needs workshop', 'demo', 'proposal walkthrough', 'negotiation round']),
            agenda: ['introductions', 'their situation', 'next steps'],
            customerAttendees: [{ name: 'Wei Zhang', department: 'IT', title: 'CIO' }, { name: 'Jana Novak', department: 'Operations', title: 'COO' }],
            ourAttendees: [{ name: this.owner, role: 'account executive' }],
            materials: ['company deck'],
          },
          ...(reviewed ? { review: this.review() } : {}),
        });
        return;
      }
      case 'review':
        this.record('VisitReviewed', { visitId: this.unreviewed.shift()!, review: this.review() });
        return;
      case 'profile':
        this.record('CustomerProfileRecorded', {
          characteristics: ['POTENTIAL.1', 'POTENTIAL.2', 'POTENTIAL.3'].map((characteristicId) => ({
            characteristicId,
            answer: r.pick(['YES', 'NO', 'UNKNOWN'] as const),
          })),
          organisationChart: { people: [{ personId: 'p-1', name: 'Wei Zhang', title: 'CIO', department: 'IT' }] },
        });
        return;
      case 'problem':
        this.record('ProblemAnalyzed', {
          problemId: `pr-${r.int(1, 3)}`,
          currentState: 'orders are keyed in twice',
          difficulty: 'no integration between ERP and shop floor',
          impact: '3% of orders shipped late',
          benefit: 'on-time delivery above 99%',
          dimension: r.pick(NEED_DIMENSIONS),
          visibility: r.pick(['EXPLICIT', 'LATENT'] as const),
        });
        return;
      case 'interest':
        this.record('CustomerInterestRecorded', { interested: true, agreesToBuy: r.chance(0.8), talkingToVendors: r.chance(0.7) });
        return;
      case 'initiation':
        this.record('ProjectInitiationRecorded', {
          customerProjectOwner: { name: 'Jana Novak', title: 'COO' },
          preliminaryBudget: { amount: this.amount, currency: this.currency },
          requirementsClear: r.chance(0.7),
        });
        return;
      case 'assessment':
        this.record('AssessmentSubmitted', this.assessment(r.pick(ASSESSMENT_KINDS)));
        return;
      case 'stakeholder':
        this.record('StakeholderIdentified', {
          personId: `p-${r.int(1, 6)}`,
          name: r.pick(['Wei Zhang', 'Jana Novak', 'Luis Ortega', 'Mei Lin']),
          title: r.pick(['CIO', 'COO', 'Head of Purchasing', 'Plant Manager']),
          department: r.pick(['IT', 'Operations', 'Purchasing']),
          roles: [r.pick(BUYING_ROLES)],
        });
        return;
      case 'procurement':
        this.record('ProcurementTimetableRecorded', {
          milestones: ['RFP_ISSUED', 'SHORTLIST', 'DECISION'].map((milestoneId) => ({
            milestoneId,
            responsible: r.chance(0.7) ? 'Jana Novak' : null,
            date: r.chance(0.7) ? new Date(this.now + r.int(10, 120) * DAY).toISOString().slice(0, 10) : null,
          })),
          playbookVersion: GENERATOR_PLAYBOOK_VERSION,
        });
        return;
      case 'competitor':
        this.record('CompetitorRecorded', { name: r.pick(COMPETITORS), strengths: ['price'], weaknesses: ['support'] });
        return;
      case 'quote':
        this.record('QuoteSubmitted', {
          quoteId: `q-${++this.quotes}`,
          kind: this.stage === 'NEGOTIATION' ? 'FORMAL' : 'PRELIMINARY',
          amount: Math.round(this.amount * (0.9 + r.next() * 0.2)),
          currency: this.currency,
        });
        return;
      case 'forecast':
        this.record('ForecastUpdated', {
          probability: Math.min(95, STAGES.indexOf(this.stage) * 15 + r.int(0, 20)),
          expectedCloseDate: new Date(this.now + r.int(20, 200) * DAY).toISOString().slice(0, 10),
        });
        return;
      case 'action':
        this.record('StageActionCompleted', { stage: this.stage, actionId: `${this.stage}.A${r.int(1, 4)}`, playbookVersion: GENERATOR_PLAYBOOK_VERSION });
        return;
      case 'condition':
        this.record('NegotiationConditionConfirmed', { conditionId: r.pick(['PRICE_AGREED', 'TERMS_AGREED']), playbookVersion: GENERATOR_PLAYBOOK_VERSION });
        return;
      default:
        throw new Error(`unknown work ${kind}`);
    }
  }

  /** The WON gate's facts: contract, first payment, shipment. */
  private closeTheDeal(): void {
    this.record('ContractSigned', { contractNumber: `C-${this.random.int(10000, 99999)}`, amount: this.amount, currency: this.currency });
    this.advanceClock(this.random.int(1, 20) * DAY, true);
    this.record('PaymentConfirmed', { amount: Math.round(this.amount * 0.3), currency: this.currency, confirmedBy: 'finance-fay' });
    this.advanceClock(this.random.int(1, 10) * DAY, true);
    this.record('ShipmentRecorded', { shipmentId: 'sh-1' });
  }

  private reassign(): void {
    const team = this.random.chance(0.3) ? this.random.pick(GENERATED_TEAMS) : this.team;
    const to = this.random.pick(GENERATED_OWNERS[team].filter((o) => o !== this.owner));
    this.record('OwnerReassigned', { from: this.owner, to, ...(team !== this.team ? { team } : {}), reason: 'territory change' });
    this.owner = to;
    this.team = team;
  }

  private review() {
    const r = this.random;
    return {
      goalReached: r.chance(0.7),
      wentWell: ['good rapport'],
      wentBadly: r.chance(0.3) ? ['ran out of time'] : [],
      learned: 'the COO owns the budget',
      improvementPlan: 'bring a reference customer',
      commitments: ['send proposal'],
      followUps: [{ action: 'send proposal', owner: this.owner }],
      thankYouSent: r.chance(0.8),
    };
  }

  private assessment(kind: AssessmentKind) {
    const r = this.random;
    const first = kind === 'REAL' || kind === 'COMPETE' ? 1 : 6;
    const criteria = Array.from({ length: 5 }, (_, i) => ({
      criterionId: `${kind}.${first + i}`,
      us: { mark: r.pick(['+', '-', '?'] as Mark[]) },
      competitors: [] as { competitor: string; mark: Mark }[],
    }));
    const plus = criteria.filter((c) => c.us.mark === '+').length;
    const minus = criteria.filter((c) => c.us.mark === '-').length;
    return {
      kind,
      competitors: [],
      criteria,
      verdict: plus >= 3 ? ('POSITIVE' as const) : ('NEGATIVE' as const),
      counts: { plus, minus, unknown: 5 - plus - minus },
      rule: { minPositive: 3, of: 5 },
      competitorResults: [],
      revision: ++this.assessmentRevision,
      playbookVersion: GENERATOR_PLAYBOOK_VERSION,
    };
  }

  /** Moves business time on; false (and no move) when that would pass the end of the period. */
  private advanceClock(ms: number, force = false): boolean {
    if (!force && this.now + ms > this.until) return false;
    this.now += ms;
    return true;
  }

  private record<T extends DealEvent['type']>(type: T, data: Omit<Extract<DealEvent, { type: T }>['data'], 'occurredAt'>): void {
    this.events.push({ type, data: { ...data, occurredAt: new Date(this.now).toISOString() } } as DealEvent);
  }
}
