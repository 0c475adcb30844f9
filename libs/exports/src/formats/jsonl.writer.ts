/** JSON Lines: one envelope per line, the data as JSON. */
import { RecordedEvent } from '@funnel/event-store/event-store.port';
import { envelopeOf } from './event-envelope';

export async function* jsonlChunks(pages: AsyncIterable<RecordedEvent[]>): AsyncGenerator<string> {
  for await (const page of pages) yield page.map((e) => `${JSON.stringify(envelopeOf(e))}\n`).join('');
}
