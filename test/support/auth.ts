import { loadFunnelConfig } from '@funnel/runtime/funnel-config';
import { ApiRole } from '../../apps/api/src/auth/actor';
import { mintToken } from '../../apps/api/src/auth/mint-token';

/** The config startTestApp() runs with: the same JWT secret signs and verifies. */
const config = loadFunnelConfig({ NODE_ENV: 'test' });

export interface TestActor {
  sub: string;
  name: string;
  roles: ApiRole[];
  /** The `teams` claim: whose deals a manager (or, under OWNERSHIP_POLICY=team, a rep) acts on. */
  teams?: string[];
}

/**
 * The actors tests speak as. Under the role matrix (README): `rep` (alice) acts on the deals she
 * owns, which is every deal `openDealBody()` opens; `manager` covers every team (`["*"]`), so a
 * manager in a test acts on any deal, as before ownership rules existed.
 */
export const ACTORS = {
  rep: { sub: 'alice', name: 'Alice Rep', roles: ['rep'] },
  manager: { sub: 'mia', name: 'Mia Manager', roles: ['rep', 'manager'], teams: ['*'] },
  finance: { sub: 'fay', name: 'Fay Finance', roles: ['finance'] },
  analyst: { sub: 'ann', name: 'Ann Analyst', roles: ['analyst'] },
  auditor: { sub: 'aldo', name: 'Aldo Auditor', roles: ['auditor'] },
  service: { sub: 'svc-billing', name: 'Billing Service', roles: ['service'] },
} satisfies Record<string, TestActor>;

/** Another rep, who owns none of alice's deals. */
export const OTHER_REP: TestActor = { sub: 'bob', name: 'Bob Rep', roles: ['rep'], teams: ['west'] };

/** A token for the actor; `settings` for an app started with other JWT settings (JWT_ISSUER, …). */
export function tokenFor(actor: TestActor, expiresIn = '1h', settings: Record<string, string> = {}): string {
  return mintToken(Object.keys(settings).length ? loadFunnelConfig({ NODE_ENV: 'test', ...settings }) : config, actor, expiresIn);
}

/** `Authorization` header value for an actor. */
export function bearer(actor: TestActor): string {
  return `Bearer ${tokenFor(actor)}`;
}
