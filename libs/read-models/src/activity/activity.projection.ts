/**
 * `rm.visits`: every customer visit with the deal owner and team at the time it was recorded and
 * whether it has been reviewed — what activity reports (visits per rep, review discipline) count.
 * The projection keeps each deal's current owner internally (`deal_owners`).
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { DealFeedEvent, dealEventsIn, distinctDealIds } from '../projection/deal-events';
import { BulkSql, Projection, ProjectionBuilder, Sql } from '../projection/projection';
import { WrittenRows } from '../projection/written-rows';

export interface VisitRow {
  deal_id: string;
  visit_id: string;
  owner: string;
  team: string;
  occurred_at: string;
  reviewed: boolean;
}

interface DealOwner {
  deal_id: string;
  owner: string;
  team: string;
}

const TABLES = [
  `CREATE TABLE visits (
     deal_id     uuid        NOT NULL,
     visit_id    text        NOT NULL,
     -- the deal's owner and team when the visit was recorded
     owner       text        NOT NULL,
     team        text        NOT NULL,
     occurred_at timestamptz NOT NULL,
     reviewed    boolean     NOT NULL,
     PRIMARY KEY (deal_id, visit_id)
   )`,
  // Internal: each deal's current owner, which a new visit copies.
  `CREATE TABLE deal_owners (
     deal_id uuid PRIMARY KEY,
     owner   text NOT NULL,
     team    text NOT NULL
   )`,
];

const INDEXES = [
  `CREATE INDEX visits_owner_occurred ON visits (owner, occurred_at)`,
  `CREATE INDEX visits_team_occurred ON visits (team, occurred_at)`,
];

const LOAD_OWNERS = `SELECT deal_id, owner, team FROM deal_owners WHERE deal_id = ANY($1::uuid[])`;

const UPSERT_OWNERS = `
  INSERT INTO deal_owners (deal_id, owner, team)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
  ON CONFLICT (deal_id) DO UPDATE SET owner = excluded.owner, team = excluded.team`;

// Recording a visit id again replaces the visit (as the deal's own history does).
const UPSERT_VISITS = `
  INSERT INTO visits (deal_id, visit_id, owner, team, occurred_at, reviewed)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::boolean[])
  ON CONFLICT (deal_id, visit_id) DO UPDATE SET
    owner = excluded.owner, team = excluded.team, occurred_at = excluded.occurred_at, reviewed = excluded.reviewed`;

// A review of a visit recorded in an earlier batch; a review of an unknown visit changes nothing.
const MARK_REVIEWED = `
  UPDATE visits v SET reviewed = true
    FROM unnest($1::uuid[], $2::text[]) AS r(deal_id, visit_id)
   WHERE v.deal_id = r.deal_id AND v.visit_id = r.visit_id`;

const ACTIVITY_EVENTS = new Set(['DealOpened', 'DealImported', 'OwnerReassigned', 'VisitRecorded', 'VisitReviewed']);

export const activityProjection: Projection = {
  name: 'activity',
  // 2: an imported deal has an owner too, whom native visits on it are credited to.
  version: 2,
  views: ['visits'],
  tables: TABLES,
  indexes: INDEXES,
  // Rows of one deal, from that deal's events only.
  partitionable: true,
  async apply(sql: Sql, events: readonly RecordedEvent[]): Promise<void> {
    const dealEvents = dealEventsIn(events, ACTIVITY_EVENTS);
    if (dealEvents.length === 0) return;
    const fold = new ActivityFold(await loadOwners(sql, distinctDealIds(dealEvents)));
    for (const e of dealEvents) fold.apply(e);
    const { reviews, visits, owners } = fold.take();
    // Reviews of visits recorded in earlier batches go first: a visit recorded again later in
    // this batch is then replaced by the upsert, review included, as the deal's history says.
    await markReviewed(sql, reviews);
    await upsertVisits(sql, visits);
    await upsertOwners(sql, owners);
  },
  builder(): ProjectionBuilder {
    // Every deal's owner stays in memory; a visit recorded since the last flush is reviewed in memory.
    const fold = new ActivityFold(new Map());
    const visitRows = new WrittenRows('visits', VISIT_COLUMNS, visitKey, upsertVisits);
    return {
      add: (events) => {
        for (const e of dealEventsIn(events, ACTIVITY_EVENTS)) fold.apply(e);
      },
      get pending() {
        return fold.pending;
      },
      flush: async (sql: BulkSql, final: boolean) => {
        // A deal's owner may change with any later event: the final flush writes them, once each.
        const { reviews, visits, owners } = fold.take({ owners: final });
        // As in apply, reviews first; a review of a visit no flush wrote (unknown when reviewed) changes nothing.
        await markReviewed(sql, reviews.filter((r) => visitRows.has(visitKey(r))));
        await visitRows.write(sql, visits);
        await sql.copyRows('deal_owners', OWNER_COLUMNS, owners.map((o) => OWNER_COLUMNS.map((c) => o[c])));
      },
    };
  },
};

/**
 * The changes of a batch (apply) or of everything added since a builder's last flush, and each
 * deal's current owner, which later visits copy.
 */
class ActivityFold {
  private changedOwners = new Set<string>();
  private visits = new Map<string, VisitRow>();
  private reviews = new Map<string, VisitKey>();

  constructor(private readonly owners: Map<string, DealOwner>) {}

  /** Rows an interim flush writes (the owners wait for the final one). */
  get pending(): number {
    return this.visits.size + this.reviews.size;
  }

  apply({ dealId, event }: DealFeedEvent): void {
    switch (event.type) {
      case 'DealOpened':
      case 'DealImported':
        if (this.owners.has(dealId)) break;
        this.owners.set(dealId, { deal_id: dealId, owner: event.data.owner, team: event.data.team });
        this.changedOwners.add(dealId);
        break;
      case 'OwnerReassigned': {
        const current = this.owners.get(dealId);
        if (!current) break;
        this.owners.set(dealId, { deal_id: dealId, owner: event.data.to, team: event.data.team ?? current.team });
        this.changedOwners.add(dealId);
        break;
      }
      case 'VisitRecorded': {
        const owner = this.owners.get(dealId);
        if (!owner) break;
        const visit: VisitRow = {
          deal_id: dealId,
          visit_id: event.data.visitId,
          owner: owner.owner,
          team: owner.team,
          occurred_at: event.data.occurredAt,
          reviewed: event.data.review !== undefined,
        };
        this.visits.set(visitKey(visit), visit);
        break;
      }
      case 'VisitReviewed': {
        const reviewed = { deal_id: dealId, visit_id: event.data.visitId };
        const k = visitKey(reviewed);
        const recorded = this.visits.get(k);
        if (recorded) recorded.reviewed = true;
        else this.reviews.set(k, reviewed);
        break;
      }
      default:
        break; // filtered out above: other events are not visits nor ownership
    }
  }

  /** The reviews of visits not in memory, the visits and the changed owners to write (unless told to keep those for later); forgets them, keeps the owners. */
  take(what: { owners: boolean } = { owners: true }): { reviews: VisitKey[]; visits: VisitRow[]; owners: DealOwner[] } {
    const owners = what.owners ? [...this.changedOwners].map((id) => this.owners.get(id)!) : [];
    const taken = { reviews: [...this.reviews.values()], visits: [...this.visits.values()], owners };
    if (what.owners) this.changedOwners = new Set();
    this.visits = new Map();
    this.reviews = new Map();
    return taken;
  }
}

type VisitKey = Pick<VisitRow, 'deal_id' | 'visit_id'>;

function visitKey(v: VisitKey): string {
  return `${v.deal_id}#${v.visit_id}`;
}

/** The columns COPY writes, named as the row objects' keys. */
const VISIT_COLUMNS = ['deal_id', 'visit_id', 'owner', 'team', 'occurred_at', 'reviewed'] as const satisfies readonly (keyof VisitRow)[];
const OWNER_COLUMNS = ['deal_id', 'owner', 'team'] as const satisfies readonly (keyof DealOwner)[];

async function markReviewed(sql: Sql, reviews: VisitKey[]): Promise<void> {
  if (reviews.length === 0) return;
  await sql.query(MARK_REVIEWED, [reviews.map((x) => x.deal_id), reviews.map((x) => x.visit_id)]);
}

async function upsertVisits(sql: Sql, visits: VisitRow[]): Promise<void> {
  if (visits.length === 0) return;
  await sql.query(UPSERT_VISITS, [
    visits.map((x) => x.deal_id),
    visits.map((x) => x.visit_id),
    visits.map((x) => x.owner),
    visits.map((x) => x.team),
    visits.map((x) => x.occurred_at),
    visits.map((x) => x.reviewed),
  ]);
}

async function upsertOwners(sql: Sql, owners: DealOwner[]): Promise<void> {
  if (owners.length === 0) return;
  await sql.query(UPSERT_OWNERS, [owners.map((x) => x.deal_id), owners.map((x) => x.owner), owners.map((x) => x.team)]);
}

async function loadOwners(sql: Sql, dealIds: string[]): Promise<Map<string, DealOwner>> {
  const result = await sql.query<DealOwner>(LOAD_OWNERS, [dealIds]);
  return new Map(result.rows.map((r) => [r.deal_id, r]));
}
