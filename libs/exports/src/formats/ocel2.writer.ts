/**
 * OCEL 2.0 JSON (object-centric event log, ocel-standard.org): every deal event with its type,
 * business time, attributes and qualified relationships to the objects it touches — the deal,
 * its account, its owner at the time, stakeholders — so PM4Py, Celonis or ProM can look at the
 * funnel per deal, per account or per rep.
 *
 * Written as it streams: `events` first (one page in memory at a time), then `objects`,
 * `objectTypes` and `eventTypes`, which are gathered on the way (memory grows with the number
 * of deals, accounts, owners and stakeholders, not with the number of events). JSON does not
 * order keys, and OCEL readers read the whole document.
 */
import { DealEvent, dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { RecordedEvent } from '@funnel/event-store/event-store.port';

export type OcelAttributeType = 'string' | 'time' | 'integer' | 'float' | 'boolean';
type Scalar = string | number | boolean;

interface OcelObject {
  id: string;
  type: 'deal' | 'account' | 'owner' | 'stakeholder';
  attributes: { name: string; time: string; value: Scalar }[];
  relationships: { objectId: string; qualifier: string }[];
}

/** What the writer keeps per deal to relate later events to the deal's account and current owner. */
interface DealContext {
  account: string;
  owner: string;
}

export const OCEL_OBJECT_TYPES: { name: OcelObject['type']; attributes: { name: string; type: OcelAttributeType }[] }[] = [
  {
    name: 'deal',
    attributes: [
      { name: 'stage', type: 'string' },
      { name: 'status', type: 'string' },
      { name: 'amount', type: 'float' },
      { name: 'currency', type: 'string' },
    ],
  },
  { name: 'account', attributes: [{ name: 'industry', type: 'string' }, { name: 'region', type: 'string' }] },
  { name: 'owner', attributes: [{ name: 'team', type: 'string' }] },
  {
    name: 'stakeholder',
    attributes: [
      { name: 'name', type: 'string' },
      { name: 'title', type: 'string' },
      { name: 'department', type: 'string' },
      { name: 'roles', type: 'string' },
    ],
  },
];

export async function* ocel2Chunks(pages: AsyncIterable<RecordedEvent[]>): AsyncGenerator<string> {
  const objects = new Map<string, OcelObject>();
  const deals = new Map<string, DealContext>();
  const eventTypes = new Map<string, Map<string, OcelAttributeType>>();
  const object = (id: string, type: OcelObject['type']) => {
    let found = objects.get(id);
    if (!found) {
      found = { id, type, attributes: [], relationships: [] };
      objects.set(id, found);
    }
    return found;
  };
  const relate = (from: OcelObject, objectId: string, qualifier: string) => {
    if (!from.relationships.some((r) => r.objectId === objectId && r.qualifier === qualifier)) from.relationships.push({ objectId, qualifier });
  };

  yield '{"events":[';
  let first = true;
  for await (const page of pages) {
    const parts: string[] = [];
    for (const recorded of page) {
      const dealId = dealIdFromStream(recorded.streamId);
      if (!dealId) continue;
      const event = { type: recorded.type, data: recorded.data } as DealEvent;
      const time = event.data.occurredAt;
      const deal = object(`deal:${dealId}`, 'deal');
      const relationships: { objectId: string; qualifier: string }[] = [{ objectId: deal.id, qualifier: 'deal' }];
      trackObjects(event, dealId, time, deal, deals, object, relate, relationships);
      const context = deals.get(dealId);
      if (context) {
        if (!relationships.some((r) => r.objectId === context.account)) relationships.push({ objectId: context.account, qualifier: 'account' });
        if (!relationships.some((r) => r.objectId === context.owner)) relationships.push({ objectId: context.owner, qualifier: 'owner' });
      }
      const attributes = attributesOf(event, recorded);
      const declared = eventTypes.get(event.type) ?? new Map<string, OcelAttributeType>();
      for (const a of attributes) declared.set(a.name, widen(declared.get(a.name), a.value));
      eventTypes.set(event.type, declared);
      parts.push(JSON.stringify({ id: recorded.id, type: event.type, time, attributes, relationships }));
    }
    if (parts.length === 0) continue;
    yield `${first ? '' : ','}${parts.join(',')}`;
    first = false;
  }
  yield '],"objects":[';
  let firstObject = true;
  for (const o of objects.values()) {
    yield `${firstObject ? '' : ','}${JSON.stringify(o)}`;
    firstObject = false;
  }
  const types = [...eventTypes].map(([name, attributes]) => ({ name, attributes: [...attributes].map(([n, type]) => ({ name: n, type })) }));
  yield `],"objectTypes":${JSON.stringify(OCEL_OBJECT_TYPES)},"eventTypes":${JSON.stringify(types)}}`;
}

function trackObjects(
  event: DealEvent,
  dealId: string,
  time: string,
  deal: OcelObject,
  deals: Map<string, DealContext>,
  object: (id: string, type: OcelObject['type']) => OcelObject,
  relate: (from: OcelObject, objectId: string, qualifier: string) => void,
  relationships: { objectId: string; qualifier: string }[],
): void {
  const stage = (value: string) => deal.attributes.push({ name: 'stage', time, value });
  const status = (value: string) => deal.attributes.push({ name: 'status', time, value });
  switch (event.type) {
    case 'DealOpened':
    case 'DealImported': {
      const d = event.data;
      const account = object(`account:${d.account.name}`, 'account');
      if (account.attributes.length === 0) {
        account.attributes.push({ name: 'industry', time, value: d.account.industry }, { name: 'region', time, value: d.account.region });
      }
      const owner = object(`owner:${d.owner}`, 'owner');
      if (owner.attributes.length === 0) owner.attributes.push({ name: 'team', time, value: d.team });
      deals.set(dealId, { account: account.id, owner: owner.id });
      relate(deal, account.id, 'belongs to');
      relate(deal, owner.id, 'owned by');
      deal.attributes.push({ name: 'amount', time, value: d.amount }, { name: 'currency', time, value: d.currency });
      stage(d.stage);
      status(d.stage === 'WON' ? 'won' : 'open');
      return;
    }
    case 'StageAdvanced':
      stage(event.data.to);
      if (event.data.to === 'WON') status('won');
      return;
    case 'StageRegressed':
      stage(event.data.to);
      return;
    case 'DealLost':
      status('lost');
      return;
    case 'DealReopened':
      stage(event.data.to);
      status('open');
      return;
    case 'StageChangeImported':
      if (event.data.amount !== undefined) deal.attributes.push({ name: 'amount', time, value: event.data.amount });
      if (event.data.to === 'LOST') status('lost');
      else if (event.data.to !== event.data.from) {
        stage(event.data.to);
        status(event.data.to === 'WON' ? 'won' : 'open');
      }
      return;
    case 'OwnerReassigned': {
      const context = deals.get(dealId);
      const next = object(`owner:${event.data.to}`, 'owner');
      if (next.attributes.length === 0 && event.data.team) next.attributes.push({ name: 'team', time, value: event.data.team });
      relationships.push({ objectId: `owner:${event.data.from}`, qualifier: 'previous owner' }, { objectId: next.id, qualifier: 'new owner' });
      relate(deal, next.id, 'owned by');
      if (context) context.owner = next.id;
      return;
    }
    case 'StakeholderIdentified': {
      const person = object(`stakeholder:${dealId}:${event.data.personId}`, 'stakeholder');
      person.attributes.push(
        { name: 'name', time, value: event.data.name },
        { name: 'title', time, value: event.data.title },
        { name: 'department', time, value: event.data.department },
        { name: 'roles', time, value: event.data.roles.join(' ') },
      );
      relate(deal, person.id, 'involves');
      relationships.push({ objectId: person.id, qualifier: 'stakeholder' });
      return;
    }
    case 'StakeholderRoleWithdrawn':
      relationships.push({ objectId: `stakeholder:${dealId}:${event.data.personId}`, qualifier: 'stakeholder' });
      return;
    default:
      return; // the other facts touch the deal (and its account and owner) only
  }
}

/** The event's scalar data (nested objects one level deep, as `parent.child`), with who and when it was recorded. */
function attributesOf(event: DealEvent, recorded: RecordedEvent): { name: string; value: Scalar }[] {
  const attributes: { name: string; value: Scalar }[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) attributes.push({ name, value });
  };
  for (const [key, value] of Object.entries(event.data)) {
    if (key === 'occurredAt') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>)) add(`${key}.${sub}`, subValue);
    } else add(key, value);
  }
  add('actor', recorded.metadata.actor?.id);
  add('recordedAt', recorded.recordedAt.toISOString());
  return attributes;
}

function widen(known: OcelAttributeType | undefined, value: Scalar): OcelAttributeType {
  const seen: OcelAttributeType = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'float') : 'string';
  if (!known || known === seen) return seen;
  if ((known === 'integer' && seen === 'float') || (known === 'float' && seen === 'integer')) return 'float';
  return known;
}
