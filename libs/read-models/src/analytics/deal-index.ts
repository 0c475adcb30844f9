import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { EVENT_STORE, EventStore } from '@funnel/event-store/event-store.port';
import { CheckpointPosition } from '../projection/checkpoint';
import { READ_MODEL_POOL } from '../projection/read-model-pool';
import { ReadModelFollower } from './deals-touched';
import { StayIndex } from './stay-index';

/**
 * What deal-level metrics filter on — rm.deal_summary's current owner, team, region, industry and
 * opened_at — held in the api process beside the stays (StayIndex), indexed by the stays' deal
 * numbers, so a deal-level metric over the stays (conversion) is a scan in memory instead of a
 * join in PostgreSQL. ~20 bytes a deal.
 *
 * A snapshot is deal_summary's live generation at one position and never changes; when the read
 * model has moved on, the next request first brings the index level: the deals with events in the
 * feed between the two positions are read again (with the checkpoint they belong to, in one
 * REPEATABLE READ snapshot) into a copy. A new live generation (a rebuild) loads everything again.
 */
export interface DealColumns {
  /** Dictionary ids in StayIndex's owners/teams/regions/industries; -1 where the deal is not in deal_summary. */
  owner: Int32Array;
  team: Int32Array;
  region: Int32Array;
  industry: Int32Array;
  /** opened_at, epoch ms; NaN where the deal is not in deal_summary. */
  opened: Float64Array;
}

export class DealSnapshot {
  constructor(
    /** Deals numbered below this have a row here (absent ones marked); higher numbers are absent. */
    readonly size: number,
    readonly columns: DealColumns,
    readonly generation: number,
    readonly position: CheckpointPosition,
  ) {}

  /** Whether deal number d is in deal_summary at this snapshot. */
  has(d: number): boolean {
    return d < this.size && !Number.isNaN(this.columns.opened[d]);
  }
}

type DealRow = [string, string, string, string, string, number];

const DEAL_COLUMNS_SQL = `deal_id::text, owner, team, region, industry, (extract(epoch FROM opened_at) * 1000)::float8`;
const ALL_DEALS = `SELECT ${DEAL_COLUMNS_SQL} FROM rm.deal_summary`;
const DEALS = `SELECT ${DEAL_COLUMNS_SQL} FROM rm.deal_summary WHERE deal_id = ANY($1::uuid[])`;

/** Beyond this many deals touched since the last snapshot, loading everything again is cheaper. */
const MAX_TOUCHED_DEALS = 20_000;

@Injectable()
export class DealIndex {
  private readonly follower: ReadModelFollower<DealSnapshot>;

  constructor(
    @Inject(READ_MODEL_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: Pick<EventStore, 'readAll'>,
    /** Numbers the deals and owns the dictionaries, so a stay and its deal share both. */
    readonly stays: StayIndex,
  ) {
    this.follower = new ReadModelFollower(pool, store, 'deal_summary', {
      empty: () => new DealSnapshot(0, allocate(0), -1, 'start'),
      load: (client, generation, position) => this.load(client, ALL_DEALS, [], undefined, generation, position),
      patch: (have, client, touched, generation, position) => this.patch(have, client, touched, generation, position),
    }, MAX_TOUCHED_DEALS);
  }

  /** Starts loading without waiting (errors surface on the first request). */
  warmUp(): void {
    this.current().catch(() => undefined);
  }

  /** The snapshot level with deal_summary's live generation as it stands now. */
  current(): Promise<DealSnapshot> {
    return this.follower.current();
  }

  private patch(have: DealSnapshot, client: PoolClient, touched: Set<string>, generation: number, position: CheckpointPosition): Promise<DealSnapshot> {
    if (touched.size === 0) return Promise.resolve(new DealSnapshot(have.size, have.columns, generation, position));
    return this.load(client, DEALS, [[...touched]], have, generation, position);
  }

  /** The rows a query returns written over a copy of `base` (or over nothing). */
  private async load(client: PoolClient, text: string, values: unknown[], base: DealSnapshot | undefined, generation: number, position: CheckpointPosition): Promise<DealSnapshot> {
    const rows = (await client.query<DealRow>({ text, values, rowMode: 'array' })).rows;
    // Number the deals first: the columns are then sized for every number given so far.
    const numbers = rows.map((row) => this.stays.dealNumber(row[0]));
    const size = this.stays.dealIds.length;
    const columns = allocate(size);
    if (base) {
      for (const name of NAMES) (columns[name] as Int32Array).set((base.columns[name] as Int32Array).subarray(0, base.size));
    }
    const { owners, teams, regions, industries } = this.stays;
    rows.forEach(([, owner, team, region, industry, opened], i) => {
      const d = numbers[i];
      columns.owner[d] = owners.intern(owner);
      columns.team[d] = teams.intern(team);
      columns.region[d] = regions.intern(region);
      columns.industry[d] = industries.intern(industry);
      columns.opened[d] = opened;
    });
    return new DealSnapshot(size, columns, generation, position);
  }
}

const NAMES = ['owner', 'team', 'region', 'industry', 'opened'] as const;

function allocate(n: number): DealColumns {
  const absent = () => new Int32Array(n).fill(-1);
  return { owner: absent(), team: absent(), region: absent(), industry: absent(), opened: new Float64Array(n).fill(NaN) };
}
