/**
 * `rm.visits`: every customer visit with the deal owner and team at the time it was recorded and
 * whether it has been reviewed — what activity reports (visits per rep, review discipline) count.
 * The projection keeps each deal's current owner internally (`deal_owners`).
 */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { dealEventsIn, distinctDealIds } from '../projection/deal-events';
import { Projection, Sql } from '../projection/projection';

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
    const dealEvents = dealEventsIn(events).filter((e) => ACTIVITY_EVENTS.has(e.event.type));
    if (dealEvents.length === 0) return;
    const owners = await loadOwners(sql, distinctDealIds(dealEvents));
    const changedOwners = new Set<string>();
    const visits = new Map<string, VisitRow>();
    const reviews = new Map<string, { deal_id: string; visit_id: string }>();

    for (const { dealId, event } of dealEvents) {
      switch (event.type) {
        case 'DealOpened':
        case 'DealImported':
          if (owners.has(dealId)) break;
          owners.set(dealId, { deal_id: dealId, owner: event.data.owner, team: event.data.team });
          changedOwners.add(dealId);
          break;
        case 'OwnerReassigned': {
          const current = owners.get(dealId);
          if (!current) break;
          owners.set(dealId, { deal_id: dealId, owner: event.data.to, team: event.data.team ?? current.team });
          changedOwners.add(dealId);
          break;
        }
        case 'VisitRecorded': {
          const owner = owners.get(dealId);
          if (!owner) break;
          const k = `${dealId}#${event.data.visitId}`;
          visits.set(k, {
            deal_id: dealId,
            visit_id: event.data.visitId,
            owner: owner.owner,
            team: owner.team,
            occurred_at: event.data.occurredAt,
            reviewed: event.data.review !== undefined,
          });
          break;
        }
        case 'VisitReviewed': {
          const k = `${dealId}#${event.data.visitId}`;
          const recorded = visits.get(k);
          if (recorded) recorded.reviewed = true;
          else reviews.set(k, { deal_id: dealId, visit_id: event.data.visitId });
          break;
        }
        default:
          break; // filtered out above: other events are not visits nor ownership
      }
    }

    // Reviews of visits recorded in earlier batches go first: a visit recorded again later in
    // this batch is then replaced by the upsert, review included, as the deal's history says.
    if (reviews.size > 0) {
      const r = [...reviews.values()];
      await sql.query(MARK_REVIEWED, [r.map((x) => x.deal_id), r.map((x) => x.visit_id)]);
    }
    if (visits.size > 0) {
      const v = [...visits.values()];
      await sql.query(UPSERT_VISITS, [
        v.map((x) => x.deal_id),
        v.map((x) => x.visit_id),
        v.map((x) => x.owner),
        v.map((x) => x.team),
        v.map((x) => x.occurred_at),
        v.map((x) => x.reviewed),
      ]);
    }
    if (changedOwners.size > 0) {
      const o = [...changedOwners].map((id) => owners.get(id)!);
      await sql.query(UPSERT_OWNERS, [o.map((x) => x.deal_id), o.map((x) => x.owner), o.map((x) => x.team)]);
    }
  },
};

async function loadOwners(sql: Sql, dealIds: string[]): Promise<Map<string, DealOwner>> {
  const result = await sql.query<DealOwner>(LOAD_OWNERS, [dealIds]);
  return new Map(result.rows.map((r) => [r.deal_id, r]));
}
