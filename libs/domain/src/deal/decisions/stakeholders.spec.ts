/** Buying roles: exactly one active economic buyer, any number of the others; a person may hold several. */
import { IdentifyStakeholder } from '../deal.commands';
import { foldDeal } from '../deal.evolve';
import { DealEvent } from '../deal.events';
import { OpenDealState } from '../deal.state';
import { BuyingRole } from '../../playbook/buying-role';
import { DEFAULT_PLAYBOOK } from '../../playbook/default-playbook';
import { Playbook } from '../../playbook/playbook';
import { dealOpened, stakeholderIdentified } from '../../testing/deal-fixtures';
import { SPEC_NOW, given } from '../../testing/decider-specification';

const now = SPEC_NOW.toISOString();
const identify = (personId: string, name: string, roles: BuyingRole[]): IdentifyStakeholder => ({
  type: 'IdentifyStakeholder',
  data: { personId, name, title: 'Manager', department: 'Management', roles },
});
const withZhaoAsEconomicBuyer: DealEvent[] = [dealOpened(), stakeholderIdentified('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER'])];

describe('identifying stakeholders', () => {
  it('records a person with the buying roles they hold', () => {
    given([dealOpened()])
      .when(identify('p-wang', 'Wang Lei', ['USER', 'COACH']))
      .then([{ type: 'StakeholderIdentified', data: { personId: 'p-wang', name: 'Wang Lei', title: 'Manager', department: 'Management', roles: ['USER', 'COACH'], occurredAt: now } }]);
  });

  it('keeps exactly one active economic buyer', () => {
    const refusal = given(withZhaoAsEconomicBuyer).when(identify('p-li', 'Li Na', ['ECONOMIC_BUYER'])).thenThrows('ECONOMIC_BUYER_ALREADY_ACTIVE');
    expect(refusal.message).toContain('Zhao Min');
  });

  it('lets the economic buyer be replaced once the role is withdrawn', () => {
    given(withZhaoAsEconomicBuyer)
      .when({ type: 'WithdrawStakeholderRole', data: { personId: 'p-zhao', role: 'ECONOMIC_BUYER', reason: 'moved to the parent company' } })
      .then([{ type: 'StakeholderRoleWithdrawn', data: { personId: 'p-zhao', role: 'ECONOMIC_BUYER', reason: 'moved to the parent company', occurredAt: now } }]);
    const withdrawn: DealEvent = { type: 'StakeholderRoleWithdrawn', data: { personId: 'p-zhao', role: 'ECONOMIC_BUYER', occurredAt: now } };
    given([...withZhaoAsEconomicBuyer, withdrawn]).when(identify('p-li', 'Li Na', ['ECONOMIC_BUYER'])).then([
      { type: 'StakeholderIdentified', data: { personId: 'p-li', name: 'Li Na', title: 'Manager', department: 'Management', roles: ['ECONOMIC_BUYER'], occurredAt: now } },
    ]);
  });

  it('adds roles to a known person, keeping the ones held', () => {
    const events: DealEvent[] = [...withZhaoAsEconomicBuyer, stakeholderIdentified('p-zhao', 'Zhao Min', ['USER'])];
    expect((foldDeal(events) as OpenDealState).stakeholders).toEqual([
      { personId: 'p-zhao', name: 'Zhao Min', title: 'Manager', department: 'Management', roles: ['ECONOMIC_BUYER', 'USER'] },
    ]);
  });

  it('lets the economic buyer be named again without complaint, and records nothing new', () => {
    given(withZhaoAsEconomicBuyer).when(identify('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER'])).then([]);
  });

  it('allows several coaches, technical buyers and users', () => {
    given([dealOpened(), stakeholderIdentified('p-wang', 'Wang Lei', ['COACH', 'TECHNICAL_BUYER'])])
      .when(identify('p-sun', 'Sun Yu', ['COACH', 'TECHNICAL_BUYER']))
      .then([{ type: 'StakeholderIdentified', data: { personId: 'p-sun', name: 'Sun Yu', title: 'Manager', department: 'Management', roles: ['COACH', 'TECHNICAL_BUYER'], occurredAt: now } }]);
  });

  it('keeps to the limits a playbook sets on the other roles', () => {
    const oneCoach: Playbook = {
      ...DEFAULT_PLAYBOOK,
      buyingRoles: DEFAULT_PLAYBOOK.buyingRoles.map((r) => (r.role === 'COACH' ? { ...r, count: { min: 1, max: 1 } } : r)),
    };
    given([dealOpened(), stakeholderIdentified('p-wang', 'Wang Lei', ['COACH'])])
      .when(identify('p-sun', 'Sun Yu', ['COACH']), { playbook: oneCoach })
      .thenThrows('BUYING_ROLE_LIMIT_REACHED');
  });

  it('knows only the four buying roles', () => {
    given([dealOpened()]).when(identify('p-x', 'X', ['GATEKEEPER' as BuyingRole])).thenThrows('INVALID_COMMAND');
  });
});

describe('withdrawing a role', () => {
  it('is refused for an unknown person', () => {
    given(withZhaoAsEconomicBuyer).when({ type: 'WithdrawStakeholderRole', data: { personId: 'p-nobody', role: 'COACH' } }).thenThrows('STAKEHOLDER_NOT_FOUND');
  });

  it('is refused for a role the person does not hold', () => {
    given(withZhaoAsEconomicBuyer).when({ type: 'WithdrawStakeholderRole', data: { personId: 'p-zhao', role: 'COACH' } }).thenThrows('ROLE_NOT_HELD');
  });
});

describe('the relationship level of a stakeholder (the vocabulary of an account\'s key people)', () => {
  const withLevel = (level: string): IdentifyStakeholder => ({ ...identify('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER']), data: { ...identify('p-zhao', 'Zhao Min', ['ECONOMIC_BUYER']).data, relationshipLevel: level as never } });

  it('is recorded with the person, and kept when a later record leaves it out', () => {
    given(withZhaoAsEconomicBuyer)
      .when(withLevel('TRUSTING'))
      .then([{ type: 'StakeholderIdentified', data: { personId: 'p-zhao', name: 'Zhao Min', title: 'Manager', department: 'Management', roles: ['ECONOMIC_BUYER'], relationshipLevel: 'TRUSTING', occurredAt: now } }]);
    const state = foldDeal([
      ...withZhaoAsEconomicBuyer,
      { type: 'StakeholderIdentified', data: { personId: 'p-zhao', name: 'Zhao Min', title: 'CFO', department: 'Finance', roles: ['ECONOMIC_BUYER'], relationshipLevel: 'ADVOCATE', occurredAt: now } },
      { type: 'StakeholderIdentified', data: { personId: 'p-zhao', name: 'Zhao Min', title: 'CEO', department: 'Board', roles: ['ECONOMIC_BUYER'], occurredAt: now } },
    ]) as OpenDealState;
    expect(state.stakeholders[0]).toMatchObject({ title: 'CEO', relationshipLevel: 'ADVOCATE' });
  });

  it('refuses a level outside the shared vocabulary', () => {
    given(withZhaoAsEconomicBuyer).when(withLevel('BEST_FRIEND')).thenThrows('INVALID_COMMAND');
  });
});

