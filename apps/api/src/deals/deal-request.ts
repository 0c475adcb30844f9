/**
 * What the HTTP layer asks of a deal: a domain command, except where the API speaks more
 * simply than the domain. `OpenDeal` comes without an id (the server chooses it) and
 * `MoveStage` becomes AdvanceStage or RegressStage once the current stage is known.
 */
import { DealCommand, DealCommandData, DealCommandOf, DealCommandType } from '@funnel/domain/deal/deal.commands';
import { ExistingDealState } from '@funnel/domain/deal/deal.state';
import { Stage, stageIndex } from '@funnel/domain/playbook/stage';

/** Without `account` when `accountId` names an existing account: its name, industry and region are copied. */
export type OpenNewDeal = {
  type: 'OpenDeal';
  data: Omit<DealCommandData<'OpenDeal'>, 'dealId' | 'account'> & { account?: DealCommandData<'OpenDeal'>['account'] };
};

export type MoveStage = {
  type: 'MoveStage';
  data: { to: Stage; reason?: string; override?: { reason: string }; occurredAt?: string };
};

/** A request on a deal that exists. */
export type ExistingDealRequest = Exclude<DealCommand, { type: 'OpenDeal' | 'AdvanceStage' | 'RegressStage' }> | MoveStage;

export type DealRequest = ExistingDealRequest | OpenNewDeal;

/**
 * A request from a validated DTO. Class instances become plain JSON (fields left out stay
 * out), and the compiler checks that the DTO fits the command's data.
 */
export function dealRequest<T extends Exclude<DealCommandType, 'OpenDeal' | 'AdvanceStage' | 'RegressStage'>>(
  type: T,
  data: DealCommandData<T>,
): ExistingDealRequest {
  return { type, data: plain(data) } as DealCommandOf<T>;
}

export function openNewDeal(data: OpenNewDeal['data']): OpenNewDeal {
  return { type: 'OpenDeal', data: plain(data) };
}

export function moveStage(data: MoveStage['data']): MoveStage {
  return { type: 'MoveStage', data: plain(data) };
}

export function openDealCommand(dealId: string, request: OpenNewDeal): DealCommand {
  // Left without an account only by a bug upstream: the decider then refuses the blank account.
  return { type: 'OpenDeal', data: { ...request.data, account: request.data.account!, dealId } };
}

/** The domain command for a request on an existing deal. */
export function commandFor(request: ExistingDealRequest, deal: ExistingDealState): DealCommand {
  if (request.type !== 'MoveStage') return request;
  const { to, reason, occurredAt } = request.data;
  if (stageIndex(to) < stageIndex(deal.stage)) {
    // An override only ever lets a deal forward; backwards it is meaningless and dropped.
    return { type: 'RegressStage', data: { to, reason: reason ?? '', ...(occurredAt !== undefined && { occurredAt }) } };
  }
  return { type: 'AdvanceStage', data: request.data };
}

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
