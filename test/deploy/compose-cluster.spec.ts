import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';

/**
 * docker-compose.cluster.yml cannot be started here (no Docker engine on the development
 * machine), so this checks what can be checked without one: the file parses (merge keys
 * included), the EventStoreDB nodes seed each other, every app's environment passes the same
 * validation the apps run at start, the load balancer names exactly the api replicas, and every
 * dependency and mounted file exists.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  deploy?: { replicas?: string | number };
}

const root = join(__dirname, '..', '..');
// Compose reads merge keys (<<: *anchor), a YAML 1.1 feature.
const compose = load(readFileSync(join(root, 'docker-compose.cluster.yml'), 'utf8'), { schema: YAML11_SCHEMA }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const apps = Object.entries(services).filter(([, s]) => s.image === 'funnel:local');
const apis = apps.filter(([, s]) => s.command?.includes('--api-only')).map(([name]) => name);

/** ${NAME:?message} and ${NAME:-default} as compose substitutes them, with these values. */
function substituted(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] ?? fallback ?? '');
}

describe('docker-compose.cluster.yml', () => {
  it('runs a 3-node EventStoreDB cluster whose nodes seed each other through gossip', () => {
    const nodes = Object.keys(services).filter((name) => services[name].image?.startsWith('eventstore/eventstore'));
    expect(nodes).toEqual(['eventstore-1', 'eventstore-2', 'eventstore-3']);
    for (const node of nodes) {
      const env = services[node].environment!;
      expect(env).toMatchObject({ EVENTSTORE_CLUSTER_SIZE: '3', EVENTSTORE_DISCOVER_VIA_DNS: 'false', EVENTSTORE_NODE_HOST_ADVERTISE_AS: node });
      const seeds = env.EVENTSTORE_GOSSIP_SEED.split(',').sort();
      expect(seeds).toEqual(nodes.filter((other) => other !== node).map((other) => `${other}:2113`));
    }
  });

  it('gives every app an environment the apps accept, on the cluster, the primary and (for the api) the replica', () => {
    expect(apis).toEqual(['api-1', 'api-2']);
    expect(apps.map(([name]) => name)).toContain('projector');
    for (const [name, service] of apps) {
      const env = Object.fromEntries(Object.entries(service.environment!).map(([k, v]) => [k, substituted(String(v), { JWT_SECRET: 'x'.repeat(64) })]));
      const config = loadFunnelConfig(env);
      expect([name, new URL(config.DATABASE_URL!).hostname]).toEqual([name, 'postgres-primary']);
      expect(config.EVENTSTORE_CONNECTION_STRING).toMatch(/^esdb\+discover:\/\/eventstore-1:2113,eventstore-2:2113,eventstore-3:2113\?/);
      if (apis.includes(name)) expect(new URL(config.READ_MODEL_REPLICA_URL!).hostname).toBe('postgres-replica');
    }
    expect(Number(substituted(String(services.projector.deploy?.replicas), {}))).toBeGreaterThanOrEqual(2);
  });

  it('balances over exactly the api replicas', () => {
    const nginx = readFileSync(join(root, 'deploy', 'cluster', 'nginx.conf'), 'utf8');
    const upstream = [...nginx.matchAll(/^\s*server\s+([\w-]+):3000\b/gm)].map((m) => m[1]);
    expect(upstream).toEqual(apis);
    expect(Object.keys(services['load-balancer'].depends_on ?? {}).sort()).toEqual(apis);
  });

  it('streams the primary to a hot-standby replica', () => {
    expect(services['postgres-primary'].command).toEqual(expect.arrayContaining(['wal_level=replica']));
    const start = readFileSync(join(root, 'deploy', 'cluster', 'postgres-replica-start.sh'), 'utf8');
    expect(start).toMatch(/pg_basebackup .*-R/);
    expect(start).toContain('hot_standby=on');
  });

  it('names only services that exist, volumes that are declared and files that are in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect([name, dependency in services]).toEqual([name, true]);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect([name, source, existsSync(join(root, source))]).toEqual([name, source, true]);
        else expect([name, source, source in compose.volumes]).toEqual([name, source, true]);
      }
    }
  });
});
