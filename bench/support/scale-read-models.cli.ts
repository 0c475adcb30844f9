/**
 * `ts-node bench/support/scale-read-models.cli.ts <source> <target> <factor>`: copies database
 * <source> (a generated history, bench-history.ts) to <target> and multiplies what the analytics
 * read — the live generations' stage_intervals, stage_overrides, deal_summary and visits — by
 * <factor>, each copy under new deal ids (md5 of the id and the copy number). The feed and the
 * checkpoints stay as they were, so the api sees read models <factor> times the size, level with
 * their feed. For measuring analytics at a size whose events would take too long to generate on
 * a loaded machine; the figures then say so (README, bench/README.md).
 */
import { Client } from 'pg';
import { databaseUrl, say, withAdmin } from './bench-history';

const COPIES = `
  DO $$
  DECLARE sh text; sd text; sa text;
  BEGIN
    SELECT 'rm_stage_history_g' || generation INTO sh FROM projection_generations WHERE projection = 'stage_history' AND status = 'live';
    SELECT 'rm_deal_summary_g' || generation INTO sd FROM projection_generations WHERE projection = 'deal_summary' AND status = 'live';
    SELECT 'rm_activity_g' || generation INTO sa FROM projection_generations WHERE projection = 'activity' AND status = 'live';
    EXECUTE format('INSERT INTO %I.stage_intervals SELECT md5(deal_id::text || k)::uuid, seq, stage, entered_at, exited_at,
                      entered_recorded_at, exited_recorded_at, entry_skipped, entry_kind, exit_kind, next_stage, owner, team, region,
                      industry, amount, overridden, entry_imported, exit_imported
                      FROM %I.stage_intervals, generate_series(1, FACTOR - 1) k', sh, sh);
    EXECUTE format('INSERT INTO %I.stage_overrides SELECT md5(deal_id::text || k)::uuid, occurred_at, from_stage, to_stage, skipped,
                      reason, by_actor, unmet, owner, team FROM %I.stage_overrides, generate_series(1, FACTOR - 1) k', sh, sh);
    EXECUTE format('CREATE TEMP TABLE original_deals AS SELECT * FROM %I.deal_summary', sd);
    FOR k IN 1 .. FACTOR - 1 LOOP
      CREATE TEMP TABLE copied_deals AS SELECT * FROM original_deals;
      UPDATE copied_deals SET deal_id = md5(deal_id::text || k)::uuid;
      EXECUTE format('INSERT INTO %I.deal_summary SELECT * FROM copied_deals', sd);
      DROP TABLE copied_deals;
    END LOOP;
    EXECUTE format('INSERT INTO %I.visits SELECT md5(deal_id::text || k)::uuid, visit_id, owner, team, occurred_at, reviewed
                      FROM %I.visits, generate_series(1, FACTOR - 1) k', sa, sa);
  END $$`;

async function main(): Promise<void> {
  const [source, target, factorText] = process.argv.slice(2);
  const factor = Number(factorText);
  if (!source || !target || !Number.isInteger(factor) || factor < 2) throw new Error('usage: scale-read-models.cli.ts <source> <target> <factor ≥ 2>');
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await withAdmin(server, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${target}`);
    await admin.query(`CREATE DATABASE ${target} TEMPLATE ${source}`);
  });
  const client = new Client({ connectionString: databaseUrl(server, target) });
  await client.connect();
  try {
    await client.query(COPIES.replaceAll('FACTOR', String(factor)));
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query<{ deals: number; stays: number }>(
      'SELECT (SELECT count(*) FROM rm.deal_summary)::int AS deals, (SELECT count(*) FROM rm.stage_intervals)::int AS stays',
    );
    say(`${target}: read models of ${rows[0].deals.toLocaleString('en')} deals, ${rows[0].stays.toLocaleString('en')} stays`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
