// Server-Sent Events: one long GET with Accept: text/event-stream; each message's `id:` is its
// feed position. Keep the last id handled as the checkpoint and send it as Last-Event-ID when
// reconnecting: the stream resumes strictly after it. Run:
//   FUNNEL_URL=http://localhost:3000 FUNNEL_TOKEN=$(npm run -s token -- --sub billing --roles service) \
//   node examples/sse-consumer.mjs            (add FILTER='team=north&toStage=WON,LOST' to filter)
import { openCheckpoint } from './checkpoint-file.mjs';

const base = process.env.FUNNEL_URL ?? 'http://localhost:3000';
const token = process.env.FUNNEL_TOKEN;
const checkpoint = openCheckpoint(process.env.CHECKPOINT_FILE ?? '.sse-checkpoint.json');
const filter = process.env.FILTER ?? '';

function handle(change) {
  console.log(`${change.position} deal ${change.dealId}: ${change.from ?? '∅'} → ${change.to} (${change.kind})`);
}

async function follow() {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (checkpoint.position) headers['Last-Event-ID'] = checkpoint.position;
  const response = await fetch(`${base}/v1/feeds/stage-changes?${checkpoint.position ? '' : 'after=0&'}${filter}`, { headers });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id = null;
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        // lines starting with ':' are heartbeats: they only keep the connection open
      }
      if (data.length === 0) continue;
      const change = JSON.parse(data.join('\n'));
      if (!checkpoint.seen(change.eventId)) handle(change);
      checkpoint.save(change.eventId, id);
    }
  }
  throw new Error('the stream ended');
}

for (;;) {
  try {
    await follow();
  } catch (error) {
    console.error(`${error.message}; reconnecting in 3 s after ${checkpoint.position ?? 'the start'}`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}
