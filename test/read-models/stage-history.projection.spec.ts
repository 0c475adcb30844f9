import { stageHistoryProjection } from '@funnel/read-models/stage-history/stage-history.projection';
import { startReadModelHarness, ReadModelHarness } from './support/read-model-harness';
import { DEAL_A, DEAL_B, DEAL_C, dealA, dealBReopened, dealBUntilLost, dealC } from './support/fixed-history';

const INTERVALS = `
  SELECT seq, stage, entered_at, exited_at, entry_kind, exit_kind, next_stage, owner, team, region, industry,
         amount::text AS amount, overridden
    FROM rm.stage_intervals WHERE deal_id = $1 ORDER BY seq`;

const at = (iso: string) => new Date(iso);

describe('stage_history projection → rm.stage_intervals, rm.stage_overrides', () => {
  let h: ReadModelHarness;
  beforeAll(async () => {
    h = await startReadModelHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('records every stay of a deal that is won: a regression makes a repeat stay, a skip is marked, WON stays open', async () => {
    for (const event of dealA.events) await h.append(DEAL_A, [event]);
    await h.project([stageHistoryProjection]);

    const common = { region: 'EMEA', industry: 'manufacturing', amount: '100000.00' };
    expect(await h.rows(INTERVALS, [DEAL_A])).toEqual([
      { seq: 1, stage: 'TARGET', entered_at: at('2025-01-01T09:00:00Z'), exited_at: at('2025-01-10T09:00:00Z'), entry_kind: 'opened', exit_kind: 'advanced', next_stage: 'POTENTIAL', owner: 'rep-ann', team: 'north', ...common, overridden: false },
      { seq: 2, stage: 'POTENTIAL', entered_at: at('2025-01-10T09:00:00Z'), exited_at: at('2025-01-20T09:00:00Z'), entry_kind: 'advanced', exit_kind: 'advanced', next_stage: 'INTENT', owner: 'rep-ann', team: 'north', ...common, overridden: false },
      { seq: 3, stage: 'INTENT', entered_at: at('2025-01-20T09:00:00Z'), exited_at: at('2025-02-01T09:00:00Z'), entry_kind: 'advanced', exit_kind: 'regressed', next_stage: 'POTENTIAL', owner: 'rep-ann', team: 'north', ...common, overridden: false },
      // the repeat stay in POTENTIAL is a new row; it keeps the owner it was entered with
      { seq: 4, stage: 'POTENTIAL', entered_at: at('2025-02-01T09:00:00Z'), exited_at: at('2025-02-10T09:00:00Z'), entry_kind: 'regressed', exit_kind: 'advanced', next_stage: 'INTENT', owner: 'rep-ann', team: 'north', ...common, overridden: false },
      { seq: 5, stage: 'INTENT', entered_at: at('2025-02-10T09:00:00Z'), exited_at: at('2025-03-01T09:00:00Z'), entry_kind: 'advanced', exit_kind: 'skipped', next_stage: 'APPROVED', owner: 'rep-bo', team: 'south', ...common, overridden: false },
      { seq: 6, stage: 'APPROVED', entered_at: at('2025-03-01T09:00:00Z'), exited_at: at('2025-03-15T09:00:00Z'), entry_kind: 'skipped', exit_kind: 'advanced', next_stage: 'NEGOTIATION', owner: 'rep-bo', team: 'south', ...common, overridden: true },
      { seq: 7, stage: 'NEGOTIATION', entered_at: at('2025-03-15T09:00:00Z'), exited_at: at('2025-04-01T09:00:00Z'), entry_kind: 'advanced', exit_kind: 'won', next_stage: 'WON', owner: 'rep-bo', team: 'south', ...common, overridden: false },
      { seq: 8, stage: 'WON', entered_at: at('2025-04-01T09:00:00Z'), exited_at: null, entry_kind: 'advanced', exit_kind: null, next_stage: null, owner: 'rep-bo', team: 'south', ...common, overridden: false },
    ]);
    expect(
      await h.rows(`SELECT occurred_at, from_stage, to_stage, skipped, reason, by_actor, unmet, owner, team FROM rm.stage_overrides WHERE deal_id = $1`, [DEAL_A]),
    ).toEqual([
      {
        occurred_at: at('2025-03-01T09:00:00Z'),
        from_stage: 'INTENT',
        to_stage: 'APPROVED',
        skipped: ['PROJECT'],
        reason: 'strategic account',
        by_actor: 'manager-mia',
        unmet: [{ code: 'APPROVED.GATE', message: 'not met' }],
        owner: 'rep-bo',
        team: 'south',
      },
    ]);
  });

  it('keeps a lost deal in LOST until it is reopened, projected in two runs', async () => {
    for (const event of dealBUntilLost.events) await h.append(DEAL_B, [event]);
    await h.project([stageHistoryProjection]);
    const common = { owner: 'rep-cy', team: 'north', region: 'APAC', industry: 'retail', amount: '40000.00', overridden: false };
    expect(await h.rows(INTERVALS, [DEAL_B])).toEqual([
      { seq: 1, stage: 'TARGET', entered_at: at('2025-01-05T09:00:00Z'), exited_at: at('2025-01-15T09:00:00Z'), entry_kind: 'opened', exit_kind: 'advanced', next_stage: 'POTENTIAL', ...common },
      { seq: 2, stage: 'POTENTIAL', entered_at: at('2025-01-15T09:00:00Z'), exited_at: at('2025-02-01T12:00:00Z'), entry_kind: 'advanced', exit_kind: 'lost', next_stage: 'LOST', ...common },
      { seq: 3, stage: 'LOST', entered_at: at('2025-02-01T12:00:00Z'), exited_at: null, entry_kind: 'lost', exit_kind: null, next_stage: null, ...common },
    ]);

    for (const event of dealBReopened.events) await h.append(DEAL_B, [event]);
    await h.project([stageHistoryProjection]);
    const rows = await h.rows(INTERVALS, [DEAL_B]);
    expect(rows.slice(2)).toEqual([
      { seq: 3, stage: 'LOST', entered_at: at('2025-02-01T12:00:00Z'), exited_at: at('2025-03-01T12:00:00Z'), entry_kind: 'lost', exit_kind: 'reopened', next_stage: 'POTENTIAL', ...common },
      { seq: 4, stage: 'POTENTIAL', entered_at: at('2025-03-01T12:00:00Z'), exited_at: null, entry_kind: 'reopened', exit_kind: null, next_stage: null, ...common },
    ]);
  });

  it('opens a deal in TARGET and ignores what does not move it', async () => {
    for (const event of dealC.events) await h.append(DEAL_C, [event]);
    await h.project([stageHistoryProjection]);
    expect(await h.rows(INTERVALS, [DEAL_C])).toEqual([
      { seq: 1, stage: 'TARGET', entered_at: at('2025-02-01T08:00:00Z'), exited_at: null, entry_kind: 'opened', exit_kind: null, next_stage: null, owner: 'rep-ann', team: 'north', region: 'CN-EAST', industry: 'energy', amount: '5000.50', overridden: false },
    ]);
    expect(await h.rows(`SELECT count(*)::int AS n FROM rm.stage_overrides`)).toEqual([{ n: 1 }]);
  });

  it('passes over streams that are not deals and moves its checkpoint past them', async () => {
    await h.store.appendToStream('playbook-default', [{ type: 'PlaybookPublished', data: { version: 'default/2' } }], { expectedRevision: 'any' });
    const head = await h.newestPosition();
    await h.project([stageHistoryProjection]);
    const [checkpoint] = await h.rows<{ position: string; events_processed: string }>(
      `SELECT c.position, c.events_processed FROM projection_checkpoints c
         JOIN projection_generations g USING (projection, generation)
        WHERE g.projection = 'stage_history' AND g.status = 'live'`,
    );
    expect(checkpoint.position).toBe(`${head!.commit}:${head!.prepare}`);
    const [{ n }] = await h.rows<{ n: string }>(`SELECT count(*) AS n FROM events`);
    expect(Number(checkpoint.events_processed)).toBe(Number(n));
    expect(await h.rows(`SELECT count(*)::int AS n FROM rm.stage_intervals`)).toEqual([{ n: 13 }]);
  });
});
