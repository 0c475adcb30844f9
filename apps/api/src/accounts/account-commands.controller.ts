import { Body, Controller, Param, ParseUUIDPipe, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { accountIdFor } from '@funnel/domain/account/account-identity';
import { CommandEnvelope } from '../deals/command-envelope';
import { Envelope } from '../deals/command-envelope.decorator';
import { DealResponseInterceptor } from '../deals/deal-response.interceptor';
import { DealCommandRoute } from '../deals/deal-route.decorators';
import { AccountCommandsService } from './account-commands.service';
import {
  AcceptSuggestionDto,
  ChangePhaseDto,
  FlagKeyAccountDto,
  KeyPersonDto,
  MergeAccountDto,
  OpenAccountDto,
  OptionalReasonDto,
  ReasonDto,
} from './dto/account-commands.dto';

const AccountId = () => Param('accountId', new ParseUUIDPipe());
const MANAGER = ['manager'] as const;
const ANSWER = 'Answers 201 `{ accountId, revision, position }` (the shape is shared with deals: `dealId` reads `accountId`).';

/**
 * Account commands: thin, each maps HTTP to one command of the account decider. Phase
 * decisions (change, accept, dismiss), closing, merging and the key-account flag are a manager's.
 */
@ApiTags('accounts: commands')
@Controller('v1/accounts')
@UseInterceptors(DealResponseInterceptor)
export class AccountCommandsController {
  constructor(private readonly accounts: AccountCommandsService) {}

  @DealCommandRoute('', 'Open an account (in breakthrough)', {
    command: 'OpenAccount',
    opensDeal: true,
    description: `The id derives from the normalised name + region: the same customer twice → 422 ACCOUNT_ALREADY_OPENED. ${ANSWER}`,
  })
  open(@Body() dto: OpenAccountDto, @Envelope({ conditional: false }) envelope: CommandEnvelope) {
    const accountId = accountIdFor(dto.name, dto.region);
    return this.accounts.execute(accountId, { type: 'OpenAccount', data: { accountId, ...plain(dto), origin: 'DIRECT' } }, envelope);
  }

  @DealCommandRoute(':accountId/phase', 'Change the relationship phase (a judgement, with a reason)', {
    command: 'ChangePhase',
    roles: MANAGER,
    description: 'Consolidation and harvest need a won deal (422 PHASE_GATE_NOT_MET lists what is unmet) unless `override.reason` is given.',
  })
  phase(@AccountId() accountId: string, @Body() dto: ChangePhaseDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.execute(accountId, { type: 'ChangePhase', data: plain(dto) }, envelope);
  }

  @DealCommandRoute(':accountId/suggestions/:suggestionId/accept', 'Accept a phase suggestion', { command: 'AcceptPhaseSuggestion', roles: MANAGER })
  accept(
    @AccountId() accountId: string,
    @Param('suggestionId', new ParseUUIDPipe()) suggestionId: string,
    @Body() dto: AcceptSuggestionDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.accounts.execute(accountId, { type: 'AcceptPhaseSuggestion', data: { ...plain(dto), suggestionId } }, envelope);
  }

  @DealCommandRoute(':accountId/suggestions/:suggestionId/dismiss', 'Dismiss a phase suggestion, with a reason', { command: 'DismissPhaseSuggestion', roles: MANAGER })
  dismiss(
    @AccountId() accountId: string,
    @Param('suggestionId', new ParseUUIDPipe()) suggestionId: string,
    @Body() dto: ReasonDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.accounts.execute(accountId, { type: 'DismissPhaseSuggestion', data: { ...plain(dto), suggestionId } }, envelope);
  }

  @DealCommandRoute(':accountId/key-people', 'Record a key person, their buying roles and relationship level', { command: 'RecordKeyPerson' })
  keyPerson(@AccountId() accountId: string, @Body() dto: KeyPersonDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.execute(accountId, { type: 'RecordKeyPerson', data: plain(dto) }, envelope);
  }

  @DealCommandRoute(':accountId/key-people/:personId/remove', 'Remove a key person', { command: 'RemoveKeyPerson' })
  removeKeyPerson(@AccountId() accountId: string, @Param('personId') personId: string, @Body() dto: OptionalReasonDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.execute(accountId, { type: 'RemoveKeyPerson', data: { ...plain(dto), personId } }, envelope);
  }

  @DealCommandRoute(':accountId/key-account', 'Flag the account as a key account, or not', { command: 'FlagKeyAccount', roles: MANAGER })
  keyAccount(@AccountId() accountId: string, @Body() dto: FlagKeyAccountDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.execute(accountId, { type: 'FlagKeyAccount', data: plain(dto) }, envelope);
  }

  @DealCommandRoute(':accountId/close', 'Close the account, with a reason', { command: 'CloseAccount', roles: MANAGER })
  close(@AccountId() accountId: string, @Body() dto: ReasonDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.execute(accountId, { type: 'CloseAccount', data: plain(dto) }, envelope);
  }

  @DealCommandRoute(':accountId/merge', 'Merge this duplicate into another account; both histories stay', {
    command: 'AbsorbDuplicateAccount on `into`, then MergeAccountInto on this one',
    roles: MANAGER,
    description: "The duplicate's deals count as the survivor's from then on; new deals for the duplicate's name go to the survivor.",
  })
  merge(@AccountId() accountId: string, @Body() dto: MergeAccountDto, @Envelope() envelope: CommandEnvelope) {
    return this.accounts.merge(accountId, dto.into.toLowerCase(), dto.reason, envelope);
  }
}

/** Class instances become plain JSON; fields left out stay out. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
