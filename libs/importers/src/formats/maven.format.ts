/**
 * The Maven Analytics CRM sample (`sales_pipeline.csv`, one row per opportunity, plus
 * `sales_teams.csv`: agent → manager, regional office). A row carries two dates, not a stage
 * history: engage_date is the entry into the stage "Engaging" maps to, close_date the entry into
 * WON or LOST. So a row makes up to two stage entries, keyed `<opportunity_id>#engaged` and
 * `<opportunity_id>#closed` (a Prospecting row, which has no date, makes
 * `<opportunity_id>#prospecting`, dated by mapping.undatedAt). The manager is the team, the
 * regional office the region; accounts are not joined (industry from the mapping).
 */
import { DealStatusStage } from '@funnel/domain/playbook/stage';
import { ImportedDealRecord, ImportedStageEntry } from '@funnel/domain/deal/imported-history';
import { csvRows, CsvSource } from '../csv/csv-rows';
import { ImportMapping, mapStage } from '../mapping/import-mapping';
import { parseAmount, parseBusinessTime } from '../mapping/row-values';
import { sourceDealId } from '../source-ids';
import { FormatInput, FormatReading, undatedInstant } from './format-reading';

export const MAVEN_SYSTEM = 'maven';
const PIPELINE_COLUMNS = ['opportunity_id', 'sales_agent', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'] as const;
const TEAM_COLUMNS = ['sales_agent', 'manager', 'regional_office'] as const;

export async function readMaven(input: FormatInput): Promise<FormatReading> {
  const { source, mapping } = input;
  const teams = { ...(input.companion ? await readTeams(input.companion, mapping) : {}), ...(mapping.teams ?? {}) };
  const reading: FormatReading = { rowsRead: 0, records: [], problems: [] };
  const firstLine = new Map<string, number>();
  const undated: ImportedStageEntry[] = [];
  let latest: string | undefined;
  const problem = (line: number, reason: string) => reading.problems.push({ file: source.name, line, reason });

  for await (const { line, values: v } of csvRows(source, PIPELINE_COLUMNS)) {
    reading.rowsRead += 1;
    const reasons: string[] = [];
    const id = v.opportunity_id;
    if (!id) reasons.push('opportunity_id is blank');
    else if (firstLine.has(id)) reasons.push(`opportunity ${id} appears again (first on line ${firstLine.get(id)})`);
    if (!v.sales_agent) reasons.push('sales_agent is blank');
    const stage = mapStage(mapping, v.deal_stage);
    if (!stage) reasons.push(`deal_stage "${v.deal_stage}" has no mapping (mapped: ${Object.keys(mapping.stages).join(', ')})`);
    const engaging = mapStage(mapping, 'engaging');
    if (v.engage_date && !engaging) reasons.push('the mapping has no stage for "Engaging", which engage_date enters');
    const engaged = v.engage_date ? parseBusinessTime(v.engage_date, 'engage_date') : undefined;
    const closed = v.close_date ? parseBusinessTime(v.close_date, 'close_date') : undefined;
    const value = v.close_value ? parseAmount(v.close_value, 'close_value') : undefined;
    for (const parsed of [engaged, closed, value]) if (parsed && !parsed.ok) reasons.push(parsed.reason);
    const closing = stage === 'WON' || stage === 'LOST';
    if (closing && !closed) reasons.push(`a ${v.deal_stage} row needs a close_date`);
    if (stage === 'WON' && !value) reasons.push('a Won row needs a close_value');
    if (stage && !closing && closed) reasons.push(`an open (${v.deal_stage}) row has a close_date`);
    if (engaged?.ok && closed?.ok && closed.value < engaged.value) reasons.push(`close_date ${v.close_date} is before engage_date ${v.engage_date}`);
    if (reasons.length > 0) {
      problem(line, reasons.join('; '));
      continue;
    }
    firstLine.set(id, line);

    const from = (externalId: string) => ({ system: MAVEN_SYSTEM, file: source.name, line, externalId, importedBy: input.importedBy });
    const entries: ImportedStageEntry[] = [];
    const amount = value?.ok ? value.value : 0;
    if (engaged?.ok) entries.push({ stage: engaging as DealStatusStage, occurredAt: engaged.value, importedFrom: from(`${id}#engaged`) });
    if (closed?.ok) {
      entries.push({
        stage: stage as DealStatusStage,
        occurredAt: closed.value,
        amount,
        ...(stage === 'LOST' && { reason: v.deal_stage }),
        importedFrom: from(`${id}#closed`),
      });
    }
    if (entries.length === 0) {
      // No date at all (Prospecting): dated once the whole file is read.
      const entry: ImportedStageEntry = { stage: stage as DealStatusStage, occurredAt: '', importedFrom: from(`${id}#${v.deal_stage.toLowerCase()}`) };
      undated.push(entry);
      entries.push(entry);
    }
    for (const e of entries) if (e.occurredAt && (!latest || e.occurredAt > latest)) latest = e.occurredAt;

    const team = teams[v.sales_agent];
    reading.records.push(record(id, v, team, amount, entries, mapping));
  }
  const at = undatedInstant(mapping, latest, input.now);
  for (const entry of undated) entry.occurredAt = at;
  return reading;
}

function record(
  id: string,
  v: Record<string, string>,
  team: { team: string; region: string } | undefined,
  amount: number,
  entries: ImportedStageEntry[],
  mapping: ImportMapping,
): ImportedDealRecord {
  return {
    dealId: sourceDealId(MAVEN_SYSTEM, id),
    account: { name: v.account || mapping.blankAccount, industry: mapping.industry, region: team?.region ?? mapping.region },
    owner: v.sales_agent,
    team: team?.team ?? mapping.team,
    amount,
    currency: mapping.currency,
    entries,
  };
}

/** sales_teams.csv: the manager is the agent's team, the regional office the deals' region. */
async function readTeams(source: CsvSource, mapping: ImportMapping): Promise<Record<string, { team: string; region: string }>> {
  const teams: Record<string, { team: string; region: string }> = {};
  for await (const { values } of csvRows(source, TEAM_COLUMNS)) {
    if (values.sales_agent) teams[values.sales_agent] = { team: values.manager || mapping.team, region: values.regional_office || mapping.region };
  }
  return teams;
}
