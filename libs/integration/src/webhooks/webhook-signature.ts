import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Funnel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed by the
 * subscription's secret. Signing the timestamp with the body lets a receiver refuse an old
 * message replayed by whoever captured it (see verifyWebhookSignature's tolerance).
 */
export const SIGNATURE_HEADER = 'Funnel-Signature';
export const EVENT_ID_HEADER = 'Funnel-Event-Id';
export const DELIVERY_ID_HEADER = 'Funnel-Delivery-Id';
export const SCHEMA_HEADER = 'Funnel-Schema';

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/**
 * What a receiver does: recompute the MAC over the raw body exactly as received, compare in
 * constant time, and refuse a timestamp further than `toleranceSeconds` from its own clock.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): SignatureCheck {
  if (!header) return { valid: false, reason: 'no signature header' };
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return { valid: false, reason: 'no timestamp' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return { valid: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const matches = (parts.get('v1') ?? []).some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { valid: true } : { valid: false, reason: 'signature does not match' };
}
