import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { ApiRole } from '../../apps/api/src/auth/actor';
import { mintToken } from '../../apps/api/src/auth/mint-token';

/** The config startTestApp() runs with: the same JWT secret signs and verifies. */
const config = loadFunnelConfig({ NODE_ENV: 'test' });

export interface TestActor {
  sub: string;
  name: string;
  roles: ApiRole[];
}

export const ACTORS = {
  rep: { sub: 'alice', name: 'Alice Rep', roles: ['rep'] },
  manager: { sub: 'mia', name: 'Mia Manager', roles: ['rep', 'manager'] },
  finance: { sub: 'fay', name: 'Fay Finance', roles: ['finance'] },
  analyst: { sub: 'ann', name: 'Ann Analyst', roles: ['analyst'] },
  auditor: { sub: 'aldo', name: 'Aldo Auditor', roles: ['auditor'] },
} satisfies Record<string, TestActor>;

export function tokenFor(actor: TestActor, expiresIn = '1h'): string {
  return mintToken(config, actor, expiresIn);
}

/** `Authorization` header value for an actor. */
export function bearer(actor: TestActor): string {
  return `Bearer ${tokenFor(actor)}`;
}
