/**
 * Reading source files: each format's rows become stage entries keyed by the source's ids, the
 * quirks of real exports are met, and every bad row is reported with its line and reason while
 * the good rows are kept. No database: the formats never touch the store.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { importHistory } from '@funnel/domain/deal/imported-history';
import { CsvSource } from '../csv/csv-rows';
import { ImportMappingError, resolveMapping } from '../mapping/import-mapping';
import { sourceDealId } from '../source-ids';
import { readMaven } from './maven.format';
import { readSalesforceHistory } from './salesforce-history.format';
import { readStageChanges } from './stage-changes.format';

const text = (name: string, content: string): CsvSource => ({ name, open: () => Readable.from([content]) });
const file = (path: string): CsvSource => ({ name: path.split('/').pop()!, open: () => createReadStream(path) });
const NOW = new Date('2026-01-01T00:00:00Z');
const SALESFORCE = join(__dirname, '../../../../test/importers/fixtures/salesforce');

describe('the maven format', () => {
  const TEAMS = text('sales_teams.csv', 'sales_agent,manager,regional_office\r\nMoses Frase,Dustin Brinkmann,Central\r\n');
  const PIPELINE = [
    'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
    '1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054',
    'KWVA7VR1,Moses Frase,GTXPro,Genco,Lost,2016-11-04,2017-03-18,0',
    'HAXMC4IX,Zed Nobody,MG Advanced,,Engaging,2016-11-03,,',
    '6CWZFOHJ,Moses Frase,GTX Basic,,Prospecting,,,',
    '1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054',
    'BADROW01,,GTX Basic,Acme,Won,2016-10-20,,',
    'BADROW02,Moses Frase,GTX Basic,Acme,Shipped,2016-10-20,2016-09-01,x',
    '',
  ].join('\r\n');
  const read = (mapping = {}) => readMaven({ source: text('sales_pipeline.csv', PIPELINE), companion: TEAMS, mapping: resolveMapping('maven', mapping), importedBy: 'mia', now: NOW });

  it('turns a row into its engagement and its closing, with the team and region of sales_teams.csv', async () => {
    const reading = await read();
    expect(reading.rowsRead).toBe(7);
    const won = reading.records.find((r) => r.dealId === sourceDealId('maven', '1C1I7A6R'))!;
    expect(won).toEqual({
      dealId: sourceDealId('maven', '1C1I7A6R'),
      account: { name: 'Cancity', industry: 'Unknown', region: 'Central' },
      owner: 'Moses Frase',
      team: 'Dustin Brinkmann',
      amount: 1054,
      currency: 'USD',
      entries: [
        { stage: 'POTENTIAL', occurredAt: '2016-10-20T00:00:00.000Z', importedFrom: { system: 'maven', file: 'sales_pipeline.csv', line: 2, externalId: '1C1I7A6R#engaged', importedBy: 'mia' } },
        { stage: 'WON', occurredAt: '2017-03-01T00:00:00.000Z', amount: 1054, importedFrom: { system: 'maven', file: 'sales_pipeline.csv', line: 2, externalId: '1C1I7A6R#closed', importedBy: 'mia' } },
      ],
    });
  });

  it('meets the quirks: Lost rows worth 0, blank accounts, agents missing from the teams, Prospecting rows without a date', async () => {
    const reading = await read();
    const lost = reading.records.find((r) => r.dealId === sourceDealId('maven', 'KWVA7VR1'))!;
    expect(lost.entries[1]).toMatchObject({ stage: 'LOST', amount: 0, reason: 'Lost' });
    const engaging = reading.records.find((r) => r.dealId === sourceDealId('maven', 'HAXMC4IX'))!;
    expect(engaging).toMatchObject({ account: { name: '(no account)', region: 'Unknown' }, team: 'Unassigned', amount: 0 });
    // No date at all: dated by the latest date of the export (its "as of").
    const prospect = reading.records.find((r) => r.dealId === sourceDealId('maven', '6CWZFOHJ'))!;
    expect(prospect.entries).toEqual([expect.objectContaining({ stage: 'TARGET', occurredAt: '2017-03-18T00:00:00.000Z' })]);
    const dated = await read({ undatedAt: '2018-01-01' });
    expect(dated.records.find((r) => r.dealId === prospect.dealId)!.entries[0].occurredAt).toBe('2018-01-01T00:00:00.000Z');
  });

  it('reports every bad row with its line and all its reasons, and keeps the good rows', async () => {
    const reading = await read();
    expect(reading.records).toHaveLength(4);
    expect(reading.problems).toEqual([
      { file: 'sales_pipeline.csv', line: 6, reason: 'opportunity 1C1I7A6R appears again (first on line 2)' },
      { file: 'sales_pipeline.csv', line: 7, reason: 'sales_agent is blank; a Won row needs a close_date; a Won row needs a close_value' },
      {
        file: 'sales_pipeline.csv',
        line: 8,
        reason: expect.stringMatching(/^deal_stage "Shipped" has no mapping .*; close_value "x" is not a number; close_date 2016-09-01 is before engage_date 2016-10-20$/),
      },
    ]);
  });

  it('lets a mapping rename the stages: Engaging as INTENT', async () => {
    const reading = await read({ stages: { Engaging: 'INTENT' } });
    expect(reading.records[0].entries[0].stage).toBe('INTENT');
  });
});

describe('the salesforce-history format', () => {
  const read = () =>
    readSalesforceHistory({
      source: file(join(SALESFORCE, 'OpportunityHistory.csv')),
      companion: file(join(SALESFORCE, 'Opportunity.csv')),
      mapping: resolveMapping('salesforce-history'),
      importedBy: 'mia',
      now: NOW,
    });

  it('makes one deal per opportunity from its history rows, with account, owner, team, region and currency from the Opportunity export', async () => {
    const reading = await read();
    expect(reading.rowsRead).toBe(21);
    expect(reading.records.map((r) => r.owner)).toEqual(['Jonas Keller', 'Priya Nair', 'Jonas Keller', 'Maria Gomez']);
    const won = reading.records[0];
    expect(won).toMatchObject({
      dealId: sourceDealId('salesforce', '0065g00000XkT1aAAF'),
      account: { name: 'Rheinmetall Werke GmbH', industry: 'Manufacturing', region: 'Germany' },
      team: 'DACH Enterprise',
      amount: 150000,
      currency: 'EUR',
    });
    expect(won.entries[0]).toEqual({
      stage: 'TARGET',
      occurredAt: '2024-01-15T08:41:12.000Z',
      amount: 150000,
      importedFrom: { system: 'salesforce', file: 'OpportunityHistory.csv', line: 2, externalId: '0085g00001aA1AAAA0', importedBy: 'mia' },
    });
  });

  it('reports an unmapped stage, an opportunity without account and one missing from the export', async () => {
    const reading = await read();
    expect(reading.problems).toEqual([
      { file: 'OpportunityHistory.csv', line: 20, reason: expect.stringContaining('StageName "Qualifcation" has no mapping') },
      { file: 'OpportunityHistory.csv', line: 21, reason: expect.stringContaining('Account.Name is blank') },
      { file: 'OpportunityHistory.csv', line: 22, reason: 'opportunity 0065g00000ZZZZZAAA is not in Opportunity.csv' },
    ]);
  });

  it('becomes a history with its amount changes, a regression and a loss in the source’s words', async () => {
    const [won, lost] = (await read()).records;
    const moves = (events: ReturnType<typeof importHistory>['events']) =>
      events.map((e) => (e.type === 'StageChangeImported' ? `${e.data.from}→${e.data.to}${e.data.amount !== undefined ? ` ${e.data.amount}` : ''}` : e.type === 'DealImported' ? `DealImported ${e.data.stage}` : e.type));
    expect(moves(importHistory(won, [], '2026.1').events)).toEqual([
      'DealImported TARGET',
      'TARGET→POTENTIAL',
      'POTENTIAL→INTENT 165000',
      'INTENT→INTENT 170000',
      'INTENT→PROJECT',
      'PROJECT→APPROVED 182000',
      'APPROVED→NEGOTIATION',
      'NEGOTIATION→WON',
    ]);
    const lostEvents = importHistory(lost, [], '2026.1').events;
    expect(moves(lostEvents)).toEqual(['DealImported TARGET', 'TARGET→POTENTIAL', 'POTENTIAL→APPROVED', 'APPROVED→INTENT', 'INTENT→LOST']);
    expect(lostEvents[4].data).toMatchObject({ reason: 'Closed Lost' });
  });
});

describe('the stage-changes format', () => {
  it('takes a deal’s attributes from its earliest row, whatever the row order, and our own stage names', async () => {
    const csv = [
      'deal,account,owner,team,region,industry,amount,currency,stage,entered_at,reason',
      'D1,Acme,ann,north,EMEA,retail,120,eur,won,2025-03-01T10:00:00+01:00,',
      'D1,Acme,bo,north,EMEA,retail,100,EUR,TARGET,2025-01-01,',
      'D2,Bolt,cy,,,,,,LOST,2025-02-01,went quiet',
    ].join('\n');
    const reading = await readStageChanges({ source: text('changes.csv', csv), mapping: resolveMapping('stage-changes'), importedBy: 'mia', now: NOW });
    expect(reading.problems).toEqual([]);
    const [d1, d2] = reading.records;
    expect(d1).toMatchObject({ owner: 'bo', amount: 100, currency: 'EUR' });
    expect(d1.entries.map((e) => [e.stage, e.occurredAt, e.amount])).toEqual([
      ['WON', '2025-03-01T09:00:00.000Z', 120],
      ['TARGET', '2025-01-01T00:00:00.000Z', 100],
    ]);
    expect(d2).toMatchObject({ team: 'Unassigned', account: { region: 'Unknown', industry: 'Unknown' }, currency: 'USD' });
    // A deal first known as LOST: the stage it was lost from is unknown, so it is refused.
    expect(importHistory(d2, [], '2026.1').refused).toHaveLength(1);
  });
});

describe('a mapping', () => {
  it('lays the user’s stage names over the format’s defaults, case-insensitively', () => {
    const mapping = resolveMapping('salesforce-history', { stages: { 'Contract Sent': 'NEGOTIATION' }, currency: 'eur' });
    expect(mapping.stages['contract sent']).toBe('NEGOTIATION');
    expect(mapping.stages['closed won']).toBe('WON');
    expect(mapping.currency).toBe('EUR');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      resolveMapping('maven', { stages: { Won: 'DONE' }, currency: 'dollars', undatedAt: 'soon', teams: { x: 1 }, extra: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportMappingError);
    expect((error as ImportMappingError).problems).toEqual([
      'unknown key "extra"',
      expect.stringContaining('stages."Won" must be one of'),
      'currency "DOLLARS" is not an ISO 4217 code',
      'undatedAt must be "latest" or a date',
      'teams must map each agent to { "team": string, "region": string }',
    ]);
  });
});
