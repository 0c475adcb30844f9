/**
 * Where a page of anomalies ended, handed to the client as an opaque `next` string. It carries
 * the page's asOf, so following pages of a "now" answer measure ages at the same instant, and
 * the sort key of the last item: the next page starts strictly after it (keyset paging, stable
 * under inserts — an anomaly that appears earlier in the order meanwhile shows up in a new first
 * page, not as a duplicate).
 */
import { ANOMALY_KINDS, AnomalyKind } from '@funnel/domain/metrics/anomaly-findings';

export interface AnomalyCursor {
  asOf: Date;
  since: Date;
  dealId: string;
  kind: AnomalyKind;
  /** Tie-breaker between two items of one deal, kind and instant. */
  detail: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeAnomalyCursor(cursor: AnomalyCursor): string {
  const doc = [cursor.asOf.toISOString(), cursor.since.toISOString(), cursor.dealId, cursor.kind, cursor.detail];
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one this service wrote. */
export function decodeAnomalyCursor(text: string): AnomalyCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc) || doc.length !== 5 || !doc.every((v) => typeof v === 'string')) return undefined;
  const [asOf, since, dealId, kind, detail] = doc as string[];
  const at = (iso: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso) ? new Date(iso) : new Date(NaN));
  const cursor = { asOf: at(asOf), since: at(since), dealId, kind: kind as AnomalyKind, detail };
  if (Number.isNaN(cursor.asOf.getTime()) || Number.isNaN(cursor.since.getTime())) return undefined;
  if (!UUID.test(dealId) || !(ANOMALY_KINDS as readonly string[]).includes(kind)) return undefined;
  return cursor;
}
