/**
 * `salesforce-history`: a Salesforce `OpportunityHistory` export (one row per change of stage,
 * amount, probability or close date) and an `Opportunity` export for what the history does not
 * carry: account, owner, currency, and optionally industry, region and team.
 *
 *   OpportunityHistory: [Id,]OpportunityId,StageName,CreatedDate,Amount,Probability,CloseDate,ForecastCategory
 *   Opportunity:        Id,Account.Name,Owner.Name,CurrencyIsoCode[,Account.Industry][,Account.BillingCountry][,Owner.UserRole.Name]
 *
 * Each history row is a stage entry at CreatedDate (the instant the change was made), keyed by
 * its Id (or OpportunityId@CreatedDate); a row that changes only the amount restates it.
 * Probability, CloseDate and ForecastCategory are the source's forecast, not stage history, and
 * are not imported.
 */
import { ImportedDealRecord, ImportedStageEntry } from '@funnel/domain/deal/imported-history';
import { csvRows, CsvSource, ImportFileError } from '../csv/csv-rows';
import { ImportMapping, mapStage } from '../mapping/import-mapping';
import { parseAmount, parseBusinessTime, parseCurrency } from '../mapping/row-values';
import { sourceDealId } from '../source-ids';
import { FormatInput, FormatReading } from './format-reading';

export const SALESFORCE_SYSTEM = 'salesforce';
const HISTORY_COLUMNS = ['OpportunityId', 'StageName', 'CreatedDate', 'Amount'] as const;
const OPPORTUNITY_COLUMNS = ['Id', 'Account.Name', 'Owner.Name', 'CurrencyIsoCode'] as const;

interface Opportunity {
  account: string;
  owner: string;
  currency: string;
  industry: string;
  region: string;
  team: string;
}

export async function readSalesforceHistory(input: FormatInput): Promise<FormatReading> {
  const { source, mapping } = input;
  if (!input.companion) throw new ImportFileError(source.name, 'salesforce-history needs the Opportunity export too (mapping.opportunitiesFile)');
  const opportunities = await readOpportunities(input.companion, mapping);
  const reading: FormatReading = { rowsRead: 0, records: [], problems: [] };
  const entries = new Map<string, ImportedStageEntry[]>();
  const keys = new Map<string, number>();

  for await (const { line, values: v } of csvRows(source, HISTORY_COLUMNS)) {
    reading.rowsRead += 1;
    const reasons: string[] = [];
    const opportunity = opportunities.get(v.OpportunityId);
    if (!v.OpportunityId) reasons.push('OpportunityId is blank');
    else if (!opportunity) reasons.push(`opportunity ${v.OpportunityId} is not in ${input.companion.name}`);
    else if (typeof opportunity === 'string') reasons.push(opportunity);
    const stage = mapStage(mapping, v.StageName);
    if (!stage) reasons.push(`StageName "${v.StageName}" has no mapping (mapped: ${Object.keys(mapping.stages).join(', ')})`);
    const at = parseBusinessTime(v.CreatedDate, 'CreatedDate');
    const amount = v.Amount ? parseAmount(v.Amount, 'Amount') : undefined;
    for (const parsed of [at, amount]) if (parsed && !parsed.ok) reasons.push(parsed.reason);
    const key = v.Id || `${v.OpportunityId}@${v.CreatedDate}`;
    if (keys.has(key)) reasons.push(`history row ${key} appears again (first on line ${keys.get(key)})`);
    if (reasons.length > 0 || !stage || !at.ok) {
      reading.problems.push({ file: source.name, line, reason: reasons.join('; ') });
      continue;
    }
    keys.set(key, line);
    const list = entries.get(v.OpportunityId) ?? [];
    list.push({
      stage,
      occurredAt: at.value,
      ...(amount?.ok && { amount: amount.value }),
      ...(stage === 'LOST' && { reason: v.StageName }),
      importedFrom: { system: SALESFORCE_SYSTEM, file: source.name, line, externalId: key, importedBy: input.importedBy },
    });
    entries.set(v.OpportunityId, list);
  }
  for (const [id, list] of entries) {
    const o = opportunities.get(id) as Opportunity;
    const first = [...list].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))[0];
    const record: ImportedDealRecord = {
      dealId: sourceDealId(SALESFORCE_SYSTEM, id),
      account: { name: o.account, industry: o.industry, region: o.region },
      owner: o.owner,
      team: o.team,
      amount: first.amount ?? 0,
      currency: o.currency,
      entries: list,
    };
    reading.records.push(record);
  }
  return reading;
}

/** Each opportunity, or why it cannot be a deal (reported on its history rows). */
async function readOpportunities(source: CsvSource, mapping: ImportMapping): Promise<Map<string, Opportunity | string>> {
  const found = new Map<string, Opportunity | string>();
  for await (const { line, values: v } of csvRows(source, OPPORTUNITY_COLUMNS)) {
    const currency = parseCurrency(v.CurrencyIsoCode || mapping.currency, 'CurrencyIsoCode');
    const lacks = [!v['Account.Name'] && 'Account.Name', !v['Owner.Name'] && 'Owner.Name'].filter(Boolean);
    if (!v.Id) continue;
    if (lacks.length > 0 || !currency.ok) {
      const why = [...lacks.map((c) => `${c} is blank`), ...(currency.ok ? [] : [currency.reason])].join('; ');
      found.set(v.Id, `opportunity ${v.Id} (${source.name} line ${line}) cannot be a deal: ${why}`);
      continue;
    }
    found.set(v.Id, {
      account: v['Account.Name'],
      owner: v['Owner.Name'],
      currency: currency.value,
      industry: v['Account.Industry'] || mapping.industry,
      region: v['Account.BillingCountry'] || mapping.region,
      team: v['Owner.UserRole.Name'] || mapping.team,
    });
  }
  return found;
}
