import { spawnSync } from 'node:child_process';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Whether a NATS server answers (checked once, synchronously, so that a suite can choose
 * between describe and describe.skip while it is being collected).
 */
export function natsAvailable(): boolean {
  const { hostname, port } = new URL(NATS_URL);
  const probe = spawnSync(
    process.execPath,
    ['-e', `const s=require('net').connect(${Number(port) || 4222},'${hostname}');s.on('data',d=>process.exit(String(d).startsWith('INFO')?0:1));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),2000)`],
    { timeout: 5000 },
  );
  return probe.status === 0;
}
