/**
 * XES (IEEE 1849-2016) for case-centric process mining (Disco, ProM, PM4Py): one trace per deal,
 * its events in business-time order. Each event has `concept:name`, `time:timestamp`,
 * `org:resource` (who recorded it) and `lifecycle:transition`. Stages are activities with a
 * lifecycle: entering a stage is its `start`, leaving it its `complete` (WON starts and completes
 * at once); every other fact is an activity named by its event type, `complete`.
 *
 * Deals are written one at a time from their own streams (memory: the deal ids and one deal's
 * events), after a pass over the feed that finds which deals have events in the export.
 */
import { DealEvent, dealIdFromStream } from '@funnel/domain/deal/deal.events';
import { importedMove } from '@funnel/domain/deal/imported-move';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';
import { exportedEventPages, ExportFilter } from '../read/exported-events';

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000Z"/>
    <string key="org:resource" value="__INVALID__"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="Funnel deals"/>
`;

interface XesEvent {
  name: string;
  transition: 'start' | 'complete';
  time: string;
  resource: string;
  eventType: string;
  eventId: string;
}

export async function* xesChunks(store: EventStore, filter: ExportFilter): AsyncGenerator<string> {
  yield HEADER;
  for (const dealId of await dealsIn(store, filter)) {
    const events: RecordedEvent[] = [];
    for await (const page of exportedEventPages(store, { ...filter, dealId })) events.push(...page);
    if (events.length > 0) yield trace(dealId, events);
  }
  yield '</log>\n';
}

/** The deals with events in the export, in the order they first appear in the feed. */
async function dealsIn(store: EventStore, filter: ExportFilter): Promise<string[]> {
  if (filter.dealId) return [filter.dealId.toLowerCase()];
  const seen = new Set<string>();
  for await (const page of exportedEventPages(store, filter)) {
    for (const e of page) {
      const id = dealIdFromStream(e.streamId);
      if (id) seen.add(id);
    }
  }
  return [...seen];
}

function trace(dealId: string, recorded: RecordedEvent[]): string {
  const sorted = [...recorded].sort((a, b) => Date.parse(occurredAt(a)) - Date.parse(occurredAt(b)) || Number(a.revision - b.revision));
  const opening = sorted.map(asDealEvent).find((e) => e.type === 'DealOpened' || e.type === 'DealImported');
  const lines = [`  <trace>`, `    <string key="concept:name" value="${xml(dealId)}"/>`];
  if (opening && (opening.type === 'DealOpened' || opening.type === 'DealImported')) {
    const d = opening.data;
    for (const [key, value] of [['account', d.account.name], ['owner', d.owner], ['team', d.team], ['region', d.account.region], ['industry', d.account.industry], ['currency', d.currency]]) {
      lines.push(`    <string key="${key}" value="${xml(value)}"/>`);
    }
    lines.push(`    <float key="amount" value="${d.amount}"/>`);
  }
  let stage: string | undefined;
  for (const r of sorted) {
    for (const e of xesEventsOf(asDealEvent(r), r, stage)) {
      lines.push(
        '    <event>',
        `      <string key="concept:name" value="${xml(e.name)}"/>`,
        `      <date key="time:timestamp" value="${e.time}"/>`,
        `      <string key="org:resource" value="${xml(e.resource)}"/>`,
        `      <string key="lifecycle:transition" value="${e.transition}"/>`,
        `      <string key="eventType" value="${xml(e.eventType)}"/>`,
        `      <id key="eventId" value="${xml(e.eventId)}"/>`,
        '    </event>',
      );
    }
    stage = stageAfter(asDealEvent(r), stage);
  }
  lines.push('  </trace>', '');
  return lines.join('\n');
}

/** A stage change closes the stage left and starts the one entered; any other fact is one activity. */
function xesEventsOf(event: DealEvent, recorded: RecordedEvent, current: string | undefined): XesEvent[] {
  const base = { time: occurredAt(recorded), resource: recorded.metadata.actor?.id ?? 'unknown', eventType: event.type, eventId: recorded.id };
  const next = stageAfter(event, current);
  if (next === current || next === undefined) return [{ ...base, name: event.type, transition: 'complete' }];
  const moves: XesEvent[] = [];
  if (current) moves.push({ ...base, name: current, transition: 'complete' });
  moves.push({ ...base, name: next, transition: 'start' });
  if (next === 'WON') moves.push({ ...base, name: next, transition: 'complete' });
  return moves;
}

/** The stage (or LOST) the deal is in after the event. */
function stageAfter(event: DealEvent, current: string | undefined): string | undefined {
  switch (event.type) {
    case 'DealOpened':
    case 'DealImported':
      return event.data.stage;
    case 'StageAdvanced':
    case 'StageRegressed':
    case 'DealReopened':
      return event.data.to;
    case 'DealLost':
      return 'LOST';
    case 'StageChangeImported':
      return importedMove(event.data.from, event.data.to) ? event.data.to : current;
    default:
      return current;
  }
}

function asDealEvent(r: RecordedEvent): DealEvent {
  return { type: r.type, data: r.data } as DealEvent;
}

function occurredAt(r: RecordedEvent): string {
  return (r.data as { occurredAt?: string }).occurredAt ?? r.recordedAt.toISOString();
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
