// A webhook receiver: verify Funnel-Signature over the raw body (and refuse old timestamps),
// de-duplicate on Funnel-Event-Id, answer 2xx quickly. Anything else than 2xx (or no answer
// within the timeout) is retried with backoff; each deal's next change waits until this one is
// accepted. Register it (a public URL; http://localhost only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true):
//   curl -X POST $FUNNEL_URL/v1/webhooks -H "Authorization: Bearer $FUNNEL_TOKEN" \
//        -H 'Content-Type: application/json' -d '{"url":"https://you.example.com/funnel"}'
// and start it with the secret from that answer:
//   WEBHOOK_SECRET=whsec_... PORT=4000 node examples/webhook-receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { openCheckpoint } from './checkpoint-file.mjs';

const secret = process.env.WEBHOOK_SECRET;
const toleranceSeconds = 300; // the replay window: refuse a signature older (or newer) than 5 minutes
const checkpoint = openCheckpoint(process.env.CHECKPOINT_FILE ?? '.webhook-seen.json');

export function verify(header, rawBody, secret, now = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  const given = Buffer.from(parts.v1 ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function handle(change) {
  console.log(`deal ${change.dealId}: ${change.from ?? '∅'} → ${change.to} (${change.kind})`);
}

createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8'); // verify the bytes as received, before parsing
    if (!verify(request.headers['funnel-signature'], raw, secret)) {
      response.writeHead(401).end('bad signature');
      return;
    }
    const eventId = request.headers['funnel-event-id'];
    if (!checkpoint.seen(eventId)) handle(JSON.parse(raw));
    checkpoint.save(eventId);
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 4000), () => console.log(`listening on ${process.env.PORT ?? 4000}`));
