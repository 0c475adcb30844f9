// Long poll: GET /v1/feeds/stage-changes?after=<checkpoint>&waitSeconds=20, handle each change,
// keep `next` as the checkpoint. Run:
//   FUNNEL_URL=http://localhost:3000 FUNNEL_TOKEN=$(npm run -s token -- --sub billing --roles service) \
//   node examples/long-poll-consumer.mjs
import { openCheckpoint } from './checkpoint-file.mjs';

const base = process.env.FUNNEL_URL ?? 'http://localhost:3000';
const token = process.env.FUNNEL_TOKEN;
const checkpoint = openCheckpoint(process.env.CHECKPOINT_FILE ?? '.long-poll-checkpoint.json');

function handle(change) {
  console.log(`${change.position} deal ${change.dealId}: ${change.from ?? '∅'} → ${change.to} (${change.kind}) by ${change.actor}`);
}

for (;;) {
  const query = new URLSearchParams({ waitSeconds: '20', limit: '500' });
  if (checkpoint.position) query.set('after', checkpoint.position);
  let page;
  try {
    const response = await fetch(`${base}/v1/feeds/stage-changes?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    page = await response.json();
  } catch (error) {
    console.error(`feed unavailable (${error.message}); retrying in 5 s from ${checkpoint.position ?? 'the start'}`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    continue;
  }
  for (const change of page.changes) {
    if (!checkpoint.seen(change.eventId)) handle(change);
    checkpoint.save(change.eventId, change.position);
  }
  // `next` moves past events that are not stage changes too: save it even for an empty page.
  if (page.next && page.next !== checkpoint.position) checkpoint.save(null, page.next);
}
