/**
 * What we learn about the customer: visits and their reviews, the profile, problems analysed,
 * interest, project initiation, and the people who hold the buying roles.
 */
import { BUYING_ROLES, BuyingRole } from '../../playbook/buying-role';
import { NEED_DIMENSIONS, NEED_VISIBILITIES } from '../../playbook/need';
import { RELATIONSHIP_LEVELS } from '../../playbook/relationship-level';
import { Playbook, buyingRoleDefinition, stageDefinition } from '../../playbook/playbook';
import { DealCommandData } from '../deal.commands';
import { DomainError } from '../deal.errors';
import { DealEvent } from '../deal.events';
import { ExistingDealState } from '../deal.state';
import { VisitReview } from '../deal.values';
import {
  nextId,
  requireAmount,
  requireArray,
  requireBoolean,
  requireCurrency,
  requireInstant,
  requireOneOf,
  requireText,
} from '../deal.validation';

export function recordVisit(data: DealCommandData<'RecordVisit'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  const visitId = requireText(data.visitId, 'visitId');
  if (deal.visits.some((v) => v.visitId === visitId)) {
    throw new DomainError('VISIT_ALREADY_RECORDED', `visit ${visitId} is already recorded`);
  }
  const preparation = data.preparation;
  if (!preparation) throw new DomainError('INVALID_COMMAND', 'preparation is required');
  requireInstant(preparation.date, 'preparation.date');
  requireText(preparation.purpose, 'preparation.purpose');
  if (data.review) checkReview(data.review);
  return [
    {
      type: 'VisitRecorded',
      data: { visitId, preparation, ...(data.review && { review: data.review }), occurredAt },
    },
  ];
}

/** A review may be added to an earlier visit, once. */
export function reviewVisit(data: DealCommandData<'ReviewVisit'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  const visit = deal.visits.find((v) => v.visitId === data.visitId);
  if (!visit) throw new DomainError('VISIT_NOT_FOUND', `no visit ${String(data.visitId)} on this deal`);
  if (visit.review) throw new DomainError('VISIT_ALREADY_REVIEWED', `visit ${visit.visitId} already has its review`);
  checkReview(data.review);
  return [{ type: 'VisitReviewed', data: { visitId: visit.visitId, review: data.review, occurredAt } }];
}

function checkReview(review: VisitReview | undefined): void {
  if (!review) throw new DomainError('INVALID_COMMAND', 'review is required');
  requireBoolean(review.goalReached, 'review.goalReached');
  requireBoolean(review.thankYouSent, 'review.thankYouSent');
}

/** The characteristics answered are the playbook's POTENTIAL ones, by id. */
export function recordCustomerProfile(
  data: DealCommandData<'RecordCustomerProfile'>,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const known = new Set((stageDefinition(playbook, 'POTENTIAL')?.characteristics ?? []).map((c) => c.id));
  for (const c of requireArray(data.characteristics, 'characteristics')) {
    if (!known.has(c.characteristicId)) {
      throw new DomainError('UNKNOWN_CHARACTERISTIC', `${String(c.characteristicId)} is not a characteristic of POTENTIAL (${[...known].join(', ')})`);
    }
    requireOneOf(c.answer, ['YES', 'NO', 'UNKNOWN'], `answer of ${c.characteristicId}`);
  }
  const people = requireArray(data.organisationChart?.people, 'organisationChart.people');
  people.forEach((p, i) => requireText(p.personId, `organisationChart.people[${i}].personId`));
  return [
    {
      type: 'CustomerProfileRecorded',
      data: {
        characteristics: data.characteristics,
        organisationChart: data.organisationChart,
        ...(data.accountOwner !== undefined && { accountOwner: data.accountOwner }),
        occurredAt,
      },
    },
  ];
}

/** Current state → difficulty → impact → benefit; parts may come later under the same problemId. */
export function analyzeProblem(data: DealCommandData<'AnalyzeProblem'>, deal: ExistingDealState, occurredAt: string): DealEvent[] {
  const problemId = data.problemId ?? nextId('P', deal.problems.map((p) => p.problemId));
  requireText(problemId, 'problemId');
  return [
    {
      type: 'ProblemAnalyzed',
      data: {
        problemId,
        currentState: requireText(data.currentState, 'currentState'),
        ...(data.difficulty !== undefined && { difficulty: data.difficulty }),
        ...(data.impact !== undefined && { impact: data.impact }),
        ...(data.benefit !== undefined && { benefit: data.benefit }),
        dimension: requireOneOf(data.dimension, NEED_DIMENSIONS, 'dimension'),
        visibility: requireOneOf(data.visibility, NEED_VISIBILITIES, 'visibility'),
        occurredAt,
      },
    },
  ];
}

export function recordCustomerInterest(data: DealCommandData<'RecordCustomerInterest'>, occurredAt: string): DealEvent[] {
  return [
    {
      type: 'CustomerInterestRecorded',
      data: {
        interested: requireBoolean(data.interested, 'interested'),
        agreesToBuy: requireBoolean(data.agreesToBuy, 'agreesToBuy'),
        talkingToVendors: requireBoolean(data.talkingToVendors, 'talkingToVendors'),
        ...(data.comment !== undefined && { comment: data.comment }),
        occurredAt,
      },
    },
  ];
}

/** The customer-side owner or team and the preliminary budget the PROJECT gate asks for. */
export function recordProjectInitiation(data: DealCommandData<'RecordProjectInitiation'>, occurredAt: string): DealEvent[] {
  const { occurredAt: _given, ...facts } = data;
  if (Object.values(facts).every((v) => v === undefined)) {
    throw new DomainError('INVALID_COMMAND', 'record at least one project-initiation fact');
  }
  if (facts.customerProjectOwner) requireText(facts.customerProjectOwner.name, 'customerProjectOwner.name');
  facts.customerProjectTeam?.forEach((m, i) => requireText(m.name, `customerProjectTeam[${i}].name`));
  if (facts.preliminaryBudget) {
    requireAmount(facts.preliminaryBudget.amount, 'preliminaryBudget.amount');
    requireCurrency(facts.preliminaryBudget.currency, 'preliminaryBudget.currency');
  }
  return [{ type: 'ProjectInitiationRecorded', data: { ...facts, occurredAt } }];
}

/**
 * A person may hold several roles; a role's maximum (one active economic buyer) is the
 * playbook's. To replace the economic buyer, withdraw the role from the current one first.
 */
export function identifyStakeholder(
  data: DealCommandData<'IdentifyStakeholder'>,
  deal: ExistingDealState,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const personId = requireText(data.personId, 'personId');
  const roles = requireArray(data.roles, 'roles').map((r, i) => requireOneOf(r, BUYING_ROLES, `roles[${i}]`));
  const known = deal.stakeholders.find((s) => s.personId === personId);
  for (const role of roles) {
    if (known?.roles.includes(role)) continue;
    const max = buyingRoleDefinition(playbook, role)?.count.max ?? null;
    const holders = deal.stakeholders.filter((s) => s.roles.includes(role));
    if (max !== null && holders.length >= max) refuseRole(role, holders.map((h) => h.name));
  }
  const person = {
    personId,
    name: requireText(data.name, 'name'),
    title: data.title ?? '',
    department: data.department ?? '',
    ...(data.relationshipLevel !== undefined && { relationshipLevel: requireOneOf(data.relationshipLevel, RELATIONSHIP_LEVELS, 'relationshipLevel') }),
  };
  const unchanged =
    known &&
    roles.every((r) => known.roles.includes(r)) &&
    (person.relationshipLevel === undefined || person.relationshipLevel === known.relationshipLevel) &&
    known.name === person.name &&
    known.title === person.title &&
    known.department === person.department;
  if (unchanged) return [];
  return [{ type: 'StakeholderIdentified', data: { ...person, roles: [...new Set(roles)], occurredAt } }];
}

function refuseRole(role: BuyingRole, holders: string[]): never {
  if (role === 'ECONOMIC_BUYER') {
    throw new DomainError(
      'ECONOMIC_BUYER_ALREADY_ACTIVE',
      `${holders.join(', ')} is the active economic buyer; withdraw that role before naming another`,
    );
  }
  throw new DomainError('BUYING_ROLE_LIMIT_REACHED', `${role} is already held by ${holders.join(', ')}`);
}

export function withdrawStakeholderRole(
  data: DealCommandData<'WithdrawStakeholderRole'>,
  deal: ExistingDealState,
  occurredAt: string,
): DealEvent[] {
  const person = deal.stakeholders.find((s) => s.personId === data.personId);
  if (!person) throw new DomainError('STAKEHOLDER_NOT_FOUND', `no stakeholder ${String(data.personId)} on this deal`);
  if (!person.roles.includes(data.role)) {
    throw new DomainError('ROLE_NOT_HELD', `${person.name} does not hold the role ${String(data.role)}`);
  }
  return [
    {
      type: 'StakeholderRoleWithdrawn',
      data: { personId: person.personId, role: data.role, ...(data.reason !== undefined && { reason: data.reason }), occurredAt },
    },
  ];
}
