/**
 * Opening a deal and moving it through the funnel: forward through gates (or past them with a
 * manager's override), backward with a reason, out as lost, and back in where it left.
 */
import { Stage, isStage, stageIndex, stagesBetween } from '../../playbook/stage';
import { MANAGER_ROLE } from '../actor-roles';
import { DealCommandData, DecideContext } from '../deal.commands';
import { DomainError } from '../deal.errors';
import { DealEvent, StageOverride, UnmetCriterion, isDealId } from '../deal.events';
import { DealState, LostDealState, OpenDealState } from '../deal.state';
import { requireAmount, requireCurrency, requireText } from '../deal.validation';
import { evaluateGate } from '../gates/evaluate-gate';
import { assertNotBeforeLastStageChange } from '../occurred-at';

export function openDeal(data: DealCommandData<'OpenDeal'>, state: DealState, context: DecideContext, occurredAt: string): DealEvent[] {
  if (state.status !== 'none') throw new DomainError('DEAL_ALREADY_OPENED', `deal ${state.dealId} is already opened`);
  if (typeof data.dealId !== 'string' || !isDealId(data.dealId)) throw new DomainError('INVALID_COMMAND', 'dealId must be a uuid');
  const account = data.account ?? { name: '', industry: '', region: '' };
  return [
    {
      type: 'DealOpened',
      data: {
        dealId: data.dealId.toLowerCase(),
        ...(data.accountId !== undefined && { accountId: data.accountId.toLowerCase() }),
        account: {
          name: requireText(account.name, 'account.name'),
          industry: requireText(account.industry, 'account.industry'),
          region: requireText(account.region, 'account.region'),
          ...(account.size !== undefined && { size: account.size }),
        },
        owner: requireText(data.owner, 'owner'),
        team: requireText(data.team, 'team'),
        amount: requireAmount(data.amount, 'amount'),
        currency: requireCurrency(data.currency, 'currency'),
        ...(data.source !== undefined && { source: data.source }),
        stage: 'TARGET',
        occurredAt,
        playbookVersion: context.playbook.version,
      },
    },
  ];
}

/**
 * Forward to the next stage when its gate is met as of the stage change (a backdated change
 * counts only facts dated at or before it). Skipping stages, or passing a failed gate,
 * needs a manager's override with a written reason; the event records who, why and what was
 * unmet. No override reaches WON: signing is not closing, the WON facts must be recorded.
 */
export function advanceStage(
  data: DealCommandData<'AdvanceStage'>,
  deal: OpenDealState,
  context: DecideContext,
  occurredAt: string,
): DealEvent[] {
  const to = data.to;
  if (!isStage(to) || stageIndex(to) <= stageIndex(deal.stage)) {
    throw new DomainError('INVALID_STAGE_TRANSITION', `a deal in ${deal.stage} cannot advance to ${String(to)}`);
  }
  assertNotBeforeLastStageChange(occurredAt, deal);

  // A gate is judged as of the stage change: a backdated one counts only the facts dated by then.
  const at = new Date(occurredAt);
  const gate = (stage: Stage) =>
    evaluateGate(deal, stage, context.playbook, at, { factsAsOf: at.getTime() < context.now.getTime() ? at : 'latest' });
  const skipped = stagesBetween(deal.stage, to);
  const unmet: UnmetCriterion[] = [...skipped, to].flatMap((stage) => gate(stage).unmet);
  const advanced = (override?: StageOverride): DealEvent[] => [
    {
      type: 'StageAdvanced',
      data: {
        from: deal.stage,
        to,
        skipped,
        ...(override && { override }),
        ...(data.reason !== undefined && { reason: data.reason }),
        occurredAt,
        playbookVersion: context.playbook.version,
      },
    },
  ];

  if (unmet.length === 0 && skipped.length === 0) return advanced();

  const override = data.override;
  if (!override) {
    if (skipped.length > 0) {
      throw new DomainError(
        'STAGE_SKIP_REQUIRES_OVERRIDE',
        `advancing from ${deal.stage} to ${to} skips ${skipped.join(', ')}: a manager's override is required`,
        unmet,
      );
    }
    throw new DomainError('GATE_NOT_MET', `the deal cannot enter ${to}: ${unmet.length} criteria unmet`, unmet);
  }
  if (to === 'WON') {
    const wonGate = gate('WON');
    if (!wonGate.met) {
      throw new DomainError('WON_REQUIRES_FACTS', 'a deal is WON only when signed, paid (confirmed by finance) and shipped; no override', wonGate.unmet);
    }
  }
  if (!context.actor.roles.includes(MANAGER_ROLE)) {
    throw new DomainError('OVERRIDE_NOT_ALLOWED', 'only a manager may override a stage gate', unmet);
  }
  if (typeof override.reason !== 'string' || override.reason.trim() === '') {
    throw new DomainError('REASON_REQUIRED', 'an override needs a written reason', unmet);
  }
  return advanced({ by: context.actor.id, reason: override.reason, unmetAtOverride: unmet });
}

/** Backward (a budget frozen, an approval withdrawn): recorded with its reason, never a rewrite. */
export function regressStage(data: DealCommandData<'RegressStage'>, deal: OpenDealState, occurredAt: string): DealEvent[] {
  const to = data.to;
  if (!isStage(to) || stageIndex(to) >= stageIndex(deal.stage)) {
    throw new DomainError('INVALID_STAGE_TRANSITION', `a deal in ${deal.stage} cannot regress to ${String(to)}`);
  }
  const reason = requireReason(data.reason, 'a regression');
  assertNotBeforeLastStageChange(occurredAt, deal);
  return [{ type: 'StageRegressed', data: { from: deal.stage, to, skipped: stagesBetween(to, deal.stage), reason, occurredAt } }];
}

export function markLost(data: DealCommandData<'MarkLost'>, deal: OpenDealState, occurredAt: string): DealEvent[] {
  const reason = requireReason(data.reason, 'a lost deal');
  assertNotBeforeLastStageChange(occurredAt, deal);
  return [
    {
      type: 'DealLost',
      data: { from: deal.stage, reason, ...(data.competitor?.trim() && { competitor: data.competitor }), occurredAt },
    },
  ];
}

/** Back into the funnel at the stage it was lost from. */
export function reopenDeal(data: DealCommandData<'ReopenDeal'>, deal: LostDealState, occurredAt: string): DealEvent[] {
  assertNotBeforeLastStageChange(occurredAt, deal);
  return [{ type: 'DealReopened', data: { to: deal.stage, ...(data.reason !== undefined && { reason: data.reason }), occurredAt } }];
}

export function reassignOwner(data: DealCommandData<'ReassignOwner'>, deal: OpenDealState, occurredAt: string): DealEvent[] {
  const to = requireText(data.to, 'to');
  assertNotBeforeLastStageChange(occurredAt, deal, 'a change of owner');
  if (to === deal.owner && (data.team === undefined || data.team === deal.team)) {
    throw new DomainError('OWNER_UNCHANGED', `${to} already owns the deal`);
  }
  return [
    {
      type: 'OwnerReassigned',
      data: {
        from: deal.owner,
        to,
        ...(data.team !== undefined && { team: data.team }),
        ...(data.reason !== undefined && { reason: data.reason }),
        occurredAt,
      },
    },
  ];
}

function requireReason(reason: unknown, what: string): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw new DomainError('REASON_REQUIRED', `${what} needs a reason`);
  return reason;
}
