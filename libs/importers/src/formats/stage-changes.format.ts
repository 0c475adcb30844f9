/**
 * `stage-changes`: our own generic CSV, for any source without a format of its own. One row per
 * stage a deal entered:
 *
 *   deal,account,owner,team,region,industry,amount,currency,stage,entered_at[,reason][,change_id]
 *
 * `deal` is the source's deal id; `stage` a name the mapping knows (our own names always);
 * `entered_at` a date or an instant with its zone. The deal's account, owner, team, region,
 * industry and currency are taken from its earliest row; `amount` on every row is the amount
 * from then on. `change_id` keys the row for re-imports (default: deal, stage and entered_at).
 */
import { ImportedDealRecord, ImportedStageEntry } from '@funnel/domain/deal/imported-history';
import { csvRows } from '../csv/csv-rows';
import { mapStage } from '../mapping/import-mapping';
import { parseAmount, parseBusinessTime, parseCurrency } from '../mapping/row-values';
import { sourceDealId } from '../source-ids';
import { FormatInput, FormatReading } from './format-reading';

export const STAGE_CHANGES_SYSTEM = 'stage-changes';
export const STAGE_CHANGES_COLUMNS = ['deal', 'account', 'owner', 'team', 'region', 'industry', 'amount', 'currency', 'stage', 'entered_at'] as const;

interface DealRows {
  opening: { at: string; account: string; owner: string; team: string; region: string; industry: string; currency: string; amount: number };
  entries: ImportedStageEntry[];
}

export async function readStageChanges(input: FormatInput): Promise<FormatReading> {
  const { source, mapping } = input;
  const reading: FormatReading = { rowsRead: 0, records: [], problems: [] };
  const deals = new Map<string, DealRows>();
  const keys = new Map<string, number>();

  for await (const { line, values: v } of csvRows(source, STAGE_CHANGES_COLUMNS)) {
    reading.rowsRead += 1;
    const reasons: string[] = [];
    for (const column of ['deal', 'account', 'owner', 'stage', 'entered_at'] as const) if (!v[column]) reasons.push(`${column} is blank`);
    const stage = v.stage ? mapStage(mapping, v.stage) : undefined;
    if (v.stage && !stage) reasons.push(`stage "${v.stage}" has no mapping (mapped: ${Object.keys(mapping.stages).join(', ')})`);
    const at = v.entered_at ? parseBusinessTime(v.entered_at, 'entered_at') : undefined;
    const amount = v.amount ? parseAmount(v.amount, 'amount') : undefined;
    const currency = parseCurrency(v.currency || mapping.currency, 'currency');
    for (const parsed of [at, amount, currency]) if (parsed && !parsed.ok) reasons.push(parsed.reason);
    const key = v.change_id || `${v.deal}@${at?.ok ? at.value : v.entered_at}#${v.stage}`;
    if (keys.has(key)) reasons.push(`the change ${key} appears again (first on line ${keys.get(key)})`);
    if (reasons.length > 0 || !stage || !at?.ok || !currency.ok) {
      reading.problems.push({ file: source.name, line, reason: reasons.join('; ') });
      continue;
    }
    keys.set(key, line);
    const entry: ImportedStageEntry = {
      stage,
      occurredAt: at.value,
      ...(amount?.ok && { amount: amount.value }),
      ...(v.reason && { reason: v.reason }),
      importedFrom: { system: STAGE_CHANGES_SYSTEM, file: source.name, line, externalId: key, importedBy: input.importedBy },
    };
    const opening = {
      at: at.value,
      account: v.account,
      owner: v.owner,
      team: v.team || mapping.team,
      region: v.region || mapping.region,
      industry: v.industry || mapping.industry,
      currency: currency.value,
      amount: amount?.ok ? amount.value : 0,
    };
    const deal = deals.get(v.deal);
    if (!deal) deals.set(v.deal, { opening, entries: [entry] });
    else {
      deal.entries.push(entry);
      if (opening.at < deal.opening.at) deal.opening = opening;
    }
  }
  for (const [id, { opening: o, entries }] of deals) {
    const record: ImportedDealRecord = {
      dealId: sourceDealId(STAGE_CHANGES_SYSTEM, id),
      account: { name: o.account, industry: o.industry, region: o.region },
      owner: o.owner,
      team: o.team,
      amount: o.amount,
      currency: o.currency,
      entries,
    };
    reading.records.push(record);
  }
  return reading;
}
