/**
 * The events an export covers, page by page from the store — the global feed for a period, the
 * deal's own stream for one deal — so an export of any size holds one page in memory at a time.
 * The period is business time (occurredAt, as every metric), `from` inclusive, `to` exclusive.
 */
import { dealStreamId } from '@funnel/domain/deal/deal.events';
import { StreamNotFoundError } from '@funnel/event-store/event-store.errors';
import { EventStore, RecordedEvent } from '@funnel/event-store/event-store.port';

export interface ExportFilter {
  from?: Date;
  to?: Date;
  dealId?: string;
}

export const EXPORT_PAGE_SIZE = 1000;

export async function* exportedEventPages(store: EventStore, filter: ExportFilter, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<RecordedEvent[]> {
  const pages = filter.dealId ? streamPages(store, filter.dealId, pageSize) : feedPages(store, pageSize);
  for await (const page of pages) {
    const kept = page.filter((e) => inPeriod(e, filter));
    if (kept.length > 0) yield kept;
  }
}

async function* feedPages(store: EventStore, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  let after: RecordedEvent['position'] | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: { streamPrefixes: ['deal-'] } });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1].position;
    if (page.length < pageSize) return;
  }
}

async function* streamPages(store: EventStore, dealId: string, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  const streamId = dealStreamId(dealId);
  let fromRevision = 0n;
  for (;;) {
    let page: RecordedEvent[];
    try {
      page = await store.readStream(streamId, { fromRevision, maxCount: pageSize });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
    if (page.length === 0) return;
    yield page;
    fromRevision = page[page.length - 1].revision + 1n;
    if (page.length < pageSize) return;
  }
}

function inPeriod(event: RecordedEvent, filter: ExportFilter): boolean {
  if (!filter.from && !filter.to) return true;
  const at = Date.parse((event.data as { occurredAt?: string }).occurredAt ?? '');
  if (Number.isNaN(at)) return false;
  return (!filter.from || at >= filter.from.getTime()) && (!filter.to || at < filter.to.getTime());
}
