/** Opening, key people, closing and merging: the account's life besides its phase. */
import { AccountEvent } from './account.events';
import { accountIdFor, accountStreamId, normaliseAccountText } from './account-identity';
import { foldAccount } from './account.evolve';
import { day } from '../testing/deal-fixtures';
import { SPEC_NOW } from '../testing/decider-specification';
import { ACCOUNT_ID, DEAL_A, accountIn, accountOpened } from '../testing/account-fixtures';
import { AS_REP, givenAccount } from '../testing/account-specification';

const now = SPEC_NOW.toISOString();
const SURVIVOR = accountIdFor('Hangzhou Precision Castings Co.', 'East China');
const closed: AccountEvent = { type: 'AccountClosed', data: { reason: 'customer went bankrupt', occurredAt: day(40) } };
const merged: AccountEvent = { type: 'AccountMergedInto', data: { survivorAccountId: SURVIVOR, reason: 'same company', occurredAt: day(40) } };

describe('an account is one customer in one region', () => {
  it('derives the same id from every spelling that normalises alike', () => {
    expect(accountIdFor('ACME  Ltd.', 'EMEA')).toBe(accountIdFor('acme ltd', ' emea '));
    expect(accountIdFor('ＡＣＭＥ', 'EMEA')).toBe(accountIdFor('acme', 'emea'));
    expect(accountIdFor('Acme', 'EMEA')).not.toBe(accountIdFor('Acme', 'APAC'));
    expect(normaliseAccountText(' Hangzhou  Precision-Castings ')).toBe('hangzhou precision castings');
    expect(accountStreamId(ACCOUNT_ID)).toBe(`account-${ACCOUNT_ID}`);
  });

  it('is opened once, with the key-account flag and where it came from', () => {
    const { size: _size, ...openedWithoutSize } = accountOpened().data;
    givenAccount([])
      .when({
        type: 'OpenAccount',
        data: { accountId: ACCOUNT_ID, name: ' Hangzhou Precision Castings ', industry: 'Manufacturing', region: 'East China', keyAccount: true, origin: 'DEAL', firstDealId: DEAL_A },
      })
      .then([{ type: 'AccountOpened', data: { ...openedWithoutSize, keyAccount: true, origin: 'DEAL', firstDealId: DEAL_A, occurredAt: now } }]);
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'OpenAccount', data: { accountId: ACCOUNT_ID, name: 'x', industry: 'y', region: 'z' } })
      .thenThrows('ACCOUNT_ALREADY_OPENED');
  });

  it('needs a name, an industry and a region', () => {
    givenAccount([]).when({ type: 'OpenAccount', data: { accountId: ACCOUNT_ID, name: ' ', industry: 'y', region: 'z' } }).thenThrows('INVALID_COMMAND');
  });

  it('takes no command before it is opened', () => {
    givenAccount([]).when({ type: 'CloseAccount', data: { reason: 'x' } }).thenThrows('ACCOUNT_NOT_FOUND');
  });

  it('is flagged as key account or not, once per change', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'FlagKeyAccount', data: { keyAccount: true, reason: 'top 20 by revenue' } })
      .then([{ type: 'KeyAccountFlagged', data: { keyAccount: true, reason: 'top 20 by revenue', occurredAt: now } }]);
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'FlagKeyAccount', data: { keyAccount: false } }).then([]);
  });

  it('links each deal once', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'LinkDeal', data: { dealId: DEAL_A } }).then([{ type: 'DealLinked', data: { dealId: DEAL_A, occurredAt: now } }]);
    givenAccount([...accountIn('BREAKTHROUGH'), { type: 'DealLinked', data: { dealId: DEAL_A, occurredAt: day(10) } }])
      .when({ type: 'LinkDeal', data: { dealId: DEAL_A } })
      .then([]);
  });
});

describe('key people and their relationship level', () => {
  const cio = { personId: 'p-1', name: 'Wang Li', title: 'CIO', roles: ['ECONOMIC_BUYER' as const], level: 'TRUSTING' as const };

  it('records a person with buying roles and a relationship level; again replaces them', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'RecordKeyPerson', data: cio }, AS_REP).then([{ type: 'KeyPersonRecorded', data: { ...cio, occurredAt: now } }]);
    const state = foldAccount([
      ...accountIn('BREAKTHROUGH'),
      { type: 'KeyPersonRecorded', data: { ...cio, occurredAt: day(10) } },
      { type: 'KeyPersonRecorded', data: { ...cio, level: 'ADVOCATE', occurredAt: day(20) } },
    ]);
    expect(state.status === 'active' && state.keyPeople).toEqual([{ ...cio, level: 'ADVOCATE', since: day(20) }]);
  });

  it('refuses a role or level outside the shared vocabulary', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'RecordKeyPerson', data: { ...cio, roles: ['SPONSOR' as never] } }).thenThrows('INVALID_COMMAND');
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'RecordKeyPerson', data: { ...cio, level: 'FRIEND' as never } }).thenThrows('INVALID_COMMAND');
  });

  it('removes only a known person', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'RemoveKeyPerson', data: { personId: 'p-9' } }).thenThrows('KEY_PERSON_NOT_FOUND');
  });
});

describe('closing and merging', () => {
  it('closes with a reason, after which no phase or people are recorded', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'CloseAccount', data: { reason: 'customer went bankrupt' } }).then([{ type: 'AccountClosed', data: { reason: 'customer went bankrupt', occurredAt: now } }]);
    givenAccount([...accountIn('CONSOLIDATION'), closed]).when({ type: 'ChangePhase', data: { to: 'HARVEST', reason: 'x' } }).thenThrows('ACCOUNT_CLOSED');
    givenAccount([...accountIn('CONSOLIDATION'), closed]).when({ type: 'CloseAccount', data: { reason: 'x' } }).thenThrows('ACCOUNT_CLOSED');
  });

  it('still notes deal facts on a closed account, without suggestions', () => {
    const fact = { kind: 'DEAL_WON' } as const;
    givenAccount([...accountIn('BREAKTHROUGH'), closed])
      .when({ type: 'NoteDealFact', data: { dealId: DEAL_A, sourceEventId: ACCOUNT_ID, fact } })
      .then([{ type: 'DealFactNoted', data: { dealId: DEAL_A, sourceEventId: ACCOUNT_ID, fact, occurredAt: now } }]);
  });

  it('merges a duplicate into its survivor with a reason; a retry records nothing; its history stays', () => {
    givenAccount(accountIn('BREAKTHROUGH'))
      .when({ type: 'MergeAccountInto', data: { survivorAccountId: SURVIVOR, reason: 'same company' } })
      .then([{ type: 'AccountMergedInto', data: { survivorAccountId: SURVIVOR, reason: 'same company', occurredAt: now } }]);
    givenAccount([...accountIn('BREAKTHROUGH'), merged]).when({ type: 'MergeAccountInto', data: { survivorAccountId: SURVIVOR, reason: 'same company' } }).then([]);
    givenAccount([...accountIn('BREAKTHROUGH'), merged]).when({ type: 'MergeAccountInto', data: { survivorAccountId: ACCOUNT_ID.replace(/^./, '0'), reason: 'x' } }).thenThrows('ACCOUNT_MERGED');
    const state = foldAccount([...accountIn('CONSOLIDATION'), merged]);
    expect(state.status === 'merged' && state.phaseHistory.map((s) => s.phase)).toEqual(['BREAKTHROUGH', 'CONSOLIDATION']);
  });

  it('refuses to merge an account into itself', () => {
    givenAccount(accountIn('BREAKTHROUGH')).when({ type: 'MergeAccountInto', data: { survivorAccountId: ACCOUNT_ID, reason: 'x' } }).thenThrows('CANNOT_MERGE_INTO_ITSELF');
  });

  it('sends everything after a merge to the survivor', () => {
    givenAccount([...accountIn('BREAKTHROUGH'), merged]).when({ type: 'NoteDealFact', data: { dealId: DEAL_A, sourceEventId: ACCOUNT_ID, fact: { kind: 'DEAL_WON' } } }).thenThrows('ACCOUNT_MERGED');
    givenAccount([...accountIn('BREAKTHROUGH'), merged]).when({ type: 'RecordKeyPerson', data: { personId: 'p', name: 'n', title: 't', roles: [], level: 'UNKNOWN' } }).thenThrows('ACCOUNT_MERGED');
  });

  it('has the survivor absorb the duplicate once', () => {
    const absorb = { type: 'AbsorbDuplicateAccount', data: { duplicateAccountId: SURVIVOR, duplicateName: 'Hangzhou Precision Castings Co.', duplicateRegion: 'East China', reason: 'same company' } } as const;
    givenAccount(accountIn('BREAKTHROUGH')).when(absorb).then([{ type: 'DuplicateAccountMerged', data: { ...absorb.data, occurredAt: now } }]);
    givenAccount([...accountIn('BREAKTHROUGH'), { type: 'DuplicateAccountMerged', data: { ...absorb.data, occurredAt: day(30) } }]).when(absorb).then([]);
  });
});
