/**
 * A year of believable pipeline, as the requests salespeople, their managers and finance would
 * have sent: visits with preparation and review, profiles, problem analyses, the four
 * assessments, buying roles, timetables, quotes, forecasts, negotiation conditions, contract,
 * payment and shipment — each dated before the stage change whose gate reads it, so gates pass
 * on recorded facts. A few deals are pushed past a gate by a manager with a reason; some
 * regress, are lost (some reopened), stall, or are still open today. Seeded: the same seed
 * tells the same story. Pure: running it is demo-pipeline.ts's job.
 */
import { DEFAULT_PLAYBOOK } from '@funnel/domain/playbook/default-playbook';
import { AssessmentKind, Mark } from '@funnel/domain/playbook/assessment-kind';
import { Stage } from '@funnel/domain/playbook/stage';
import { DealRequest, dealRequest, moveStage, openNewDeal } from '../deals/deal-request';

export type DemoActorKind = 'rep' | 'manager' | 'finance';

export interface DemoStep {
  actor: DemoActorKind;
  request: DealRequest;
}

export interface DemoDeal {
  owner: string;
  team: string;
  manager: string;
  steps: DemoStep[];
}

interface Team {
  name: string;
  region: string;
  currency: 'EUR' | 'USD';
  manager: string;
  reps: string[];
}

export const DEMO_TEAMS: Team[] = [
  { name: 'north', region: 'EMEA', currency: 'EUR', manager: 'mgr-nadia', reps: ['rep-anna', 'rep-bruno', 'rep-chloe'] },
  { name: 'south', region: 'EMEA', currency: 'EUR', manager: 'mgr-soren', reps: ['rep-dario', 'rep-elif'] },
  { name: 'americas', region: 'AMER', currency: 'USD', manager: 'mgr-maya', reps: ['rep-frank', 'rep-gina', 'rep-hugo'] },
  { name: 'asia', region: 'APAC', currency: 'USD', manager: 'mgr-kenji', reps: ['rep-ivy', 'rep-jun'] },
];
export const DEMO_FINANCE = 'fin-fatima';
const INDUSTRIES = ['manufacturing', 'logistics', 'retail', 'energy', 'healthcare', 'finance', 'public sector'];
const ACCOUNTS = ['Nordwind', 'Harbour', 'Lakeside', 'Cobalt', 'Granite', 'Silverline', 'Bluepeak', 'Redwood', 'Ironbridge', 'Sunfield', 'Northstar', 'Meridian'];
const SUFFIXES = ['Steel', 'Foods', 'Labs', 'Freight', 'Energy', 'Health', 'Retail', 'Works', 'Systems', 'Logistics'];
const COMPETITORS = ['Acme Systems', 'Globex', 'Initech', 'Umbrella Software'];
const LOST_REASONS = ['price', 'lost to competitor', 'no budget', 'project cancelled', 'no decision'];
const REGRESSION_REASONS = ['budget frozen until next quarter', 'approval withdrawn by the board', 'champion left the company'];
const DAY = 86_400_000;
const FORWARD: Stage[] = ['POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON'];

/** mulberry32: small, fast, good enough for believable data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* demoDeals(count: number, seed: number, now: Date): Generator<DemoDeal> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) yield new DemoDealStory(random, now.getTime(), i).tell();
}

class DemoDealStory {
  private readonly steps: DemoStep[] = [];
  private readonly team: Team;
  private readonly owner: string;
  private readonly amount: number;
  private t: number;
  private stage: Stage = 'TARGET';
  private ended = false;

  constructor(
    private readonly random: () => number,
    private readonly now: number,
    private readonly index: number,
  ) {
    this.team = this.pick(DEMO_TEAMS);
    this.owner = this.pick(this.team.reps);
    this.amount = Math.round((15_000 + Math.exp(this.random() * 3.5) * 8_000) / 100) * 100;
    // Opened over the past year; the oldest have had time to close.
    this.t = now - (5 + this.random() * 360) * DAY;
  }

  tell(): DemoDeal {
    const r = this.random();
    // Where the deal is headed: won, lost from some stage, or still on its way.
    const fate = r < 0.3 ? 'won' : r < 0.62 ? 'lost' : 'open';
    const furthest = fate === 'won' ? 5 : Math.floor(this.random() * 5);
    const regresses = this.random() < 0.12;
    const overrides = this.random() < 0.07;
    const stalls = fate === 'open' && this.random() < 0.25;

    this.step('rep', openNewDeal({
      account: { name: `${this.pick(ACCOUNTS)} ${this.pick(SUFFIXES)} ${this.index + 1}`, industry: this.pick(INDUSTRIES), region: this.team.region },
      owner: this.owner,
      team: this.team.name,
      amount: this.amount,
      currency: this.team.currency,
      source: this.pick(['trade fair', 'referral', 'inbound', 'outbound call']),
      occurredAt: this.iso(),
    }));
    let regressed = false;
    for (let i = 0; i <= furthest && !this.ended; i++) {
      const to = FORWARD[i];
      const skipFact = overrides && (to === 'PROJECT' || to === 'APPROVED') && this.random() < 0.6;
      this.gateFacts(to, skipFact);
      this.wait(3 + this.random() * 18);
      if (this.ended) break;
      this.step(skipFact ? 'manager' : 'rep', moveStage({
        to,
        ...(skipFact && { override: { reason: 'customer confirmed verbally; paperwork follows this week' } }),
        occurredAt: this.iso(),
      }));
      this.stage = to;
      if (regresses && !regressed && (to === 'PROJECT' || to === 'APPROVED') && fate !== 'won') {
        regressed = true;
        this.wait(5 + this.random() * 20);
        const back = FORWARD[i - 1];
        this.step('rep', moveStage({ to: back, reason: this.pick(REGRESSION_REASONS), occurredAt: this.iso() }));
        this.stage = back;
        this.wait(10 + this.random() * 30);
        // Back on track: what was waived is recorded now, and the forecast is brought up to date.
        if (skipFact) this.missingFact(to);
        if (to === 'APPROVED') this.forecast();
        this.step('rep', moveStage({ to, occurredAt: this.iso() }));
        this.stage = to;
      }
    }
    if (fate === 'lost' && !this.ended) {
      this.wait(3 + this.random() * 25);
      this.step('rep', dealRequest('MarkLost', { reason: this.pick(LOST_REASONS), competitor: this.pick(COMPETITORS), occurredAt: this.iso() }));
      if (this.random() < 0.15) {
        this.wait(20 + this.random() * 60);
        this.step('manager', dealRequest('ReopenDeal', { reason: 'the customer came back with a new budget', occurredAt: this.iso() }));
      }
    }
    if (fate === 'open' && !stalls && !this.ended) {
      // Still being worked: a recent visit keeps it active.
      this.wait(2 + this.random() * 10);
      this.visit(`v-${this.stage.toLowerCase()}-follow-up`);
    }
    return { owner: this.owner, team: this.team.name, manager: this.team.manager, steps: this.steps };
  }

  /** The facts the gate into `to` reads, dated before it (one left out when a manager overrides). */
  private gateFacts(to: Stage, leaveOneOut: boolean): void {
    const c = this.team.currency;
    switch (to) {
      case 'POTENTIAL':
        this.visit('v-1');
        this.fact('RecordCustomerProfile', {
          characteristics: DEFAULT_PLAYBOOK.stages.find((s) => s.key === 'POTENTIAL')!.characteristics.map((ch) => ({ characteristicId: ch.id, answer: 'YES' as const })),
          organisationChart: {
            people: [
              { personId: 'p-gm', name: 'Dana Whitfield', title: 'General manager', department: 'Management' },
              { personId: 'p-ops', name: 'Lee Park', title: 'Operations lead', department: 'Operations', reportsTo: 'p-gm' },
            ],
          },
          accountOwner: this.owner,
        });
        return;
      case 'INTENT':
        this.fact('AnalyzeProblem', {
          problemId: 'P-1',
          currentState: 'Planning is done in spreadsheets',
          difficulty: 'Rush orders cannot be slotted in',
          impact: 'Late deliveries and overtime',
          benefit: 'On-time delivery up, overtime down',
          dimension: 'APPLICATION',
          visibility: 'EXPLICIT',
        });
        this.fact('RecordCustomerInterest', { interested: true, agreesToBuy: true, talkingToVendors: true });
        return;
      case 'PROJECT':
        this.assessment('REAL');
        this.fact('RecordProjectInitiation', {
          customerProjectOwner: { name: 'Dana Whitfield', title: 'General manager' },
          preliminaryBudget: { amount: this.amount, currency: c },
          requirementsClear: true,
        });
        if (!leaveOneOut) this.timetable();
        return;
      case 'APPROVED': {
        this.assessment('WORTH');
        this.assessment('COMPETE');
        this.assessment('WIN');
        this.fact('IdentifyStakeholder', { personId: 'p-gm', name: 'Dana Whitfield', title: 'General manager', department: 'Management', roles: ['ECONOMIC_BUYER'] });
        if (!leaveOneOut) this.fact('IdentifyStakeholder', { personId: 'p-ops', name: 'Lee Park', title: 'Operations lead', department: 'Operations', roles: ['COACH', 'USER'] });
        this.fact('SubmitQuote', { kind: 'PRELIMINARY', amount: this.amount, currency: c });
        this.forecast();
        return;
      }
      case 'NEGOTIATION':
        for (const condition of DEFAULT_PLAYBOOK.negotiationConditions) this.fact('ConfirmNegotiationCondition', { conditionId: condition.id });
        return;
      case 'WON':
        this.fact('SignContract', { contractNumber: `C-${1000 + this.index}`, amount: this.amount, currency: c });
        this.wait(1 + this.random() * 5);
        this.step('finance', dealRequest('ConfirmPayment', { amount: Math.round(this.amount * 0.3), currency: c, reference: `INV-${5000 + this.index}`, occurredAt: this.iso() }));
        this.wait(1 + this.random() * 5);
        this.fact('RecordShipment', { description: 'first delivery' });
        return;
      case 'TARGET':
        return;
      default: {
        const _: never = to;
        return _;
      }
    }
  }

  /** Expected to close within the 90 days the APPROVED marker promises. */
  private forecast(): void {
    const close = new Date(this.t + (35 + this.random() * 45) * DAY).toISOString().slice(0, 10);
    this.fact('UpdateForecast', { probability: 55 + Math.floor(this.random() * 35), expectedCloseDate: close });
  }

  /** The fact a manager's override waived, recorded later. */
  private missingFact(to: Stage): void {
    if (to === 'PROJECT') this.timetable();
    if (to === 'APPROVED') this.fact('IdentifyStakeholder', { personId: 'p-ops', name: 'Lee Park', title: 'Operations lead', department: 'Operations', roles: ['COACH', 'USER'] });
  }

  private visit(visitId: string): void {
    const date = this.iso();
    this.fact('RecordVisit', {
      visitId,
      preparation: {
        date,
        durationMinutes: 60 + Math.floor(this.random() * 4) * 30,
        reconfirmedDayBefore: true,
        purpose: 'Understand how they work today and where it hurts',
        agenda: ['introductions', 'their current process', 'next steps'],
        customerAttendees: [{ name: 'Lee Park', department: 'Operations', title: 'Operations lead' }],
        ourAttendees: [{ name: this.owner, role: 'account manager' }],
        materials: ['company introduction'],
      },
      review: {
        goalReached: this.random() < 0.8,
        wentWell: ['open conversation'],
        wentBadly: this.random() < 0.5 ? ['finance did not attend'] : [],
        learned: 'The operations lead owns the problem; the general manager owns the budget',
        improvementPlan: 'Bring a reference customer next time',
        commitments: ['send a reference case'],
        followUps: [{ action: 'send a reference case', owner: this.owner, due: date.slice(0, 10) }],
        thankYouSent: true,
      },
    });
  }

  private assessment(kind: AssessmentKind): void {
    const catalogue = DEFAULT_PLAYBOOK.assessments.find((a) => a.kind === kind)!;
    const rival = this.pick(COMPETITORS);
    const competitors = catalogue.scoresCompetitors ? [rival] : [];
    // REAL and WORTH are positive when the deal goes on (the gate reads the verdict); one doubt allowed.
    const doubt = Math.floor(this.random() * catalogue.criteria.length);
    this.fact('SubmitAssessment', {
      kind,
      competitors,
      criteria: catalogue.criteria.map((criterion, i) => ({
        criterionId: criterion.id,
        mark: (i === doubt ? '?' : '+') as Mark,
        ...(competitors.length > 0 && { competitors: [{ competitor: rival, mark: (this.random() < 0.5 ? '+' : '-') as Mark }] }),
      })),
    });
  }

  private timetable(): void {
    const rfp = new Date(this.t + 20 * DAY).toISOString().slice(0, 10);
    this.fact('RecordProcurementTimetable', {
      milestones: DEFAULT_PLAYBOOK.procurementMilestones.map((m, i) => ({ milestoneId: m.id, responsible: i === 0 ? 'IT department' : null, date: i === 0 ? rfp : null })),
    });
  }

  /** A fact recorded by the owner a little after the previous step. */
  private fact(type: Parameters<typeof dealRequest>[0], data: object): void {
    this.wait(0.2 + this.random() * 2);
    if (this.ended) return;
    this.step('rep', dealRequest(type, { ...data, occurredAt: this.iso() } as never));
  }

  private step(actor: DemoActorKind, request: DealRequest): void {
    if (!this.ended) this.steps.push({ actor, request });
  }

  /** Time passes; a story reaching today ends there (the deal is still open). */
  private wait(days: number): void {
    this.t += days * DAY;
    if (this.t > this.now - 3_600_000) this.ended = true;
  }

  private iso(): string {
    return new Date(Math.floor(this.t / 1000) * 1000).toISOString();
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }
}
