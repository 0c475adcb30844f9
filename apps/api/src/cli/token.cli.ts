/**
 * `npm run token -- --sub alice --name "Alice" --roles rep,manager [--teams east,west|*] [--expires 8h]`
 * Prints a bearer token signed with the configured JWT_SECRET (or the development default),
 * with `exp`, and `iss`/`aud` when JWT_ISSUER/JWT_AUDIENCE are set.
 */
import { parseArgs } from 'node:util';
import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { API_ROLES, isApiRole } from '../auth/actor';
import { mintToken } from '../auth/mint-token';

const USAGE = `usage: npm run token -- --sub <id> [--name <name>] --roles <${API_ROLES.join('|')}>[,…] [--teams <team>[,…] | --teams '*'] [--expires 8h]`;

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      teams: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
    strict: true,
  });
  const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !isApiRole(r));
  if (!values.sub || roles.length === 0 || unknown.length > 0) {
    if (unknown.length) process.stderr.write(`unknown role(s): ${unknown.join(', ')}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  if (!/^\d+\s*(ms|s|m|h|d|w|y)?$/i.test(values.expires ?? '')) {
    process.stderr.write(`--expires must be a duration such as 30m, 8h or 7d\n${USAGE}\n`);
    process.exit(2);
  }
  const token = mintToken(
    loadFunnelConfig(),
    {
      sub: values.sub,
      name: values.name ?? values.sub,
      roles: roles.filter(isApiRole),
      ...(values.teams !== undefined && { teams: values.teams.split(',').map((t) => t.trim()).filter(Boolean) }),
    },
    values.expires,
  );
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
}
