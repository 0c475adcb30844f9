/**
 * Which account a customer name belongs to. The id is derived from the normalised name and
 * region, so every path that meets "Acme Ltd." in "EMEA" (opening a deal, the migration, an
 * importer, a retry after a crash) lands on the same stream `account-<id>` without asking
 * anyone. Spellings that normalisation cannot unite are joined by an explicit merge.
 */
import { derivedUuid } from '../identity/derived-uuid';

export const ACCOUNT_STREAM_PREFIX = 'account-';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unicode-compatible (全角 → ASCII), case- and space-insensitive, without the punctuation people vary. */
export function normaliseAccountText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,;:'"`()（）·・\-_/\\&]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The key an account is unique on: normalised name and region. */
export function accountKey(name: string, region: string): string {
  return `${normaliseAccountText(name)}\u0000${normaliseAccountText(region)}`;
}

/** The account id of a name in a region: the same for every spelling that normalises alike. */
export function accountIdFor(name: string, region: string): string {
  return derivedUuid('funnel.account', accountKey(name, region));
}

/** The account of a deal: the one it names, or (opened before accounts existed) the one its customer name gives. */
export function accountIdOfDeal(opened: { accountId?: string; account: { name: string; region: string } }): string {
  return opened.accountId ?? accountIdFor(opened.account.name, opened.account.region);
}

export function isAccountId(value: string): boolean {
  return UUID.test(value);
}

export function accountStreamId(accountId: string): string {
  if (!isAccountId(accountId)) throw new Error(`account id must be a uuid, got "${accountId}"`);
  return `${ACCOUNT_STREAM_PREFIX}${accountId.toLowerCase()}`;
}

/** The account id of an `account-<uuid>` stream, or undefined for any other stream. */
export function accountIdFromStream(streamId: string): string | undefined {
  if (!streamId.startsWith(ACCOUNT_STREAM_PREFIX)) return undefined;
  const id = streamId.slice(ACCOUNT_STREAM_PREFIX.length);
  return isAccountId(id) ? id : undefined;
}
