/**
 * Hand-written deal events for specifications: `story(dealId).opened(at, …).advanced(at, to)…`
 * reads like the deal's history and produces the real event shapes.
 */
import { DealEvent } from '@funnel/domain/deal/deal.events';
import { Stage, stagesBetween } from '@funnel/domain/playbook/stage';

export interface Opening {
  owner?: string;
  team?: string;
  amount?: number;
  currency?: string;
  region?: string;
  industry?: string;
  accountName?: string;
  size?: string;
}

export class DealStory {
  readonly events: DealEvent[] = [];
  /** `stage`: where the deal stands when the story picks it up (TARGET for a new deal). */
  constructor(
    readonly dealId: string,
    private stage: Stage = 'TARGET',
  ) {}

  opened(at: string, o: Opening = {}): this {
    return this.add({
      type: 'DealOpened',
      data: {
        dealId: this.dealId,
        account: { name: o.accountName ?? 'Nordwind Steel', industry: o.industry ?? 'manufacturing', region: o.region ?? 'EMEA', ...(o.size ? { size: o.size } : {}) },
        owner: o.owner ?? 'rep-ann',
        team: o.team ?? 'north',
        amount: o.amount ?? 100_000,
        currency: o.currency ?? 'EUR',
        stage: 'TARGET',
        playbookVersion: 'default/1',
        occurredAt: at,
      },
    });
  }

  advanced(at: string, to: Stage, override?: { by: string; reason: string }): this {
    const from = this.stage;
    this.stage = to;
    return this.add({
      type: 'StageAdvanced',
      data: {
        from,
        to,
        skipped: stagesBetween(from, to),
        ...(override ? { override: { ...override, unmetAtOverride: [{ code: `${to}.GATE`, message: 'not met' }] } } : {}),
        playbookVersion: 'default/1',
        occurredAt: at,
      },
    });
  }

  regressed(at: string, to: Stage, reason = 'budget frozen'): this {
    const from = this.stage;
    this.stage = to;
    return this.add({ type: 'StageRegressed', data: { from, to, skipped: stagesBetween(to, from), reason, occurredAt: at } });
  }

  lost(at: string, reason: string, competitor?: string): this {
    return this.add({ type: 'DealLost', data: { from: this.stage, reason, ...(competitor ? { competitor } : {}), occurredAt: at } });
  }

  reopened(at: string): this {
    return this.add({ type: 'DealReopened', data: { to: this.stage, reason: 'customer came back', occurredAt: at } });
  }

  reassigned(at: string, from: string, to: string, team?: string): this {
    return this.add({ type: 'OwnerReassigned', data: { from, to, ...(team ? { team } : {}), occurredAt: at } });
  }

  forecast(at: string, probability: number, expectedCloseDate: string): this {
    return this.add({ type: 'ForecastUpdated', data: { probability, expectedCloseDate, occurredAt: at } });
  }

  visit(at: string, visitId: string, reviewed = false): this {
    return this.add({
      type: 'VisitRecorded',
      data: {
        visitId,
        preparation: {
          date: at,
          durationMinutes: 60,
          purpose: 'needs workshop',
          agenda: ['their situation'],
          customerAttendees: [{ name: 'Wei Zhang', department: 'IT', title: 'CIO' }],
          ourAttendees: [{ name: 'Ann', role: 'account executive' }],
          materials: [],
        },
        ...(reviewed ? { review: review() } : {}),
        occurredAt: at,
      },
    });
  }

  visitReviewed(at: string, visitId: string): this {
    return this.add({ type: 'VisitReviewed', data: { visitId, review: review(), occurredAt: at } });
  }

  quote(at: string): this {
    return this.add({ type: 'QuoteSubmitted', data: { quoteId: 'q-1', kind: 'FORMAL', amount: 95_000, currency: 'EUR', occurredAt: at } });
  }

  private add(event: DealEvent): this {
    this.events.push(event);
    return this;
  }
}

export function story(dealId: string, stage: Stage = 'TARGET'): DealStory {
  return new DealStory(dealId, stage);
}

function review() {
  return {
    goalReached: true,
    wentWell: ['rapport'],
    wentBadly: [],
    learned: 'the COO owns the budget',
    improvementPlan: 'bring a reference',
    commitments: [],
    followUps: [],
    thankYouSent: true,
  };
}
