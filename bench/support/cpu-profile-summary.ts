/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time by function and by
 * package (or project folder), and the total under a few named frames.
 *
 *   node -r ts-node/register/transpile-only bench/support/cpu-profile-summary.ts <file.cpuprofile> [top] [--last S]
 *
 * `--last S` keeps only the samples of the last S seconds before the process stopped (e.g. the
 * measured window of bench:commands, without the start-up's compilation).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (scoped too), or the project folder a file is in. */
function placeOf(url: string): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  if (url.startsWith('node:') || !url.includes('/')) return url ? `node:${url.replace(/^node:/, '').split('/')[0]}` : '(vm)';
  const project = /\/(apps\/[^/]+\/src\/[^/]+|libs\/[^/]+\/src\/[^/]+|bench|test)\//.exec(url);
  return project ? project[1] : url;
}

function main(): void {
  const args = process.argv.slice(2);
  const lastAt = args.indexOf('--last');
  const lastUs = lastAt >= 0 ? Number(args.splice(lastAt, 2)[1]) * 1e6 : Infinity;
  const [file, topText] = args;
  const top = Number(topText ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const end = profile.timeDeltas.reduce((a, b) => a + b, 0);
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (end - at <= lastUs) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const add = (m: Map<string, number>, key: string, t: number) => m.set(key, (m.get(key) ?? 0) + t);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    add(byFunction, `${f.functionName || '(anonymous)'} ${placeOf(f.url)}:${f.lineNumber + 1}`, t);
    add(byPlace, placeOf(f.url), t);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  const print = (title: string, m: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, t] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(t)}  ${k}\n`);
  };
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)} %)\n`);
  print('self time by package / project folder (share of busy time)', byPlace);
  print('self time by function', byFunction);
}

main();
