/**
 * Who sends a request: the authenticated subject of its bearer token. The roles are those the
 * API knows; the domain reads `manager` (overrides) and `finance` (payments) from them.
 */
export const API_ROLES = ['rep', 'manager', 'analyst', 'auditor', 'service', 'finance'] as const;

export type ApiRole = (typeof API_ROLES)[number];

/** Roles that may send deal commands (a payment also accepts `finance`, see the route). */
export const COMMAND_ROLES: readonly ApiRole[] = ['rep', 'manager'];

export interface Actor {
  id: string;
  name: string;
  roles: ApiRole[];
  /**
   * The sales teams whose deals the actor may act on (the token's `teams` claim): a manager's
   * scope, and a rep's too under OWNERSHIP_POLICY=team. `*` stands for every team.
   */
  teams: string[];
}

/** The `teams` value that covers every team. */
export const ALL_TEAMS = '*';

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

/** The actor a verified token describes, or undefined when its claims are unusable. */
export function actorFromClaims(claims: unknown): Actor | undefined {
  if (claims === null || typeof claims !== 'object') return undefined;
  const { sub, name, roles, teams } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.trim() === '' || !Array.isArray(roles)) return undefined;
  if (teams !== undefined && !(Array.isArray(teams) && teams.every((t) => typeof t === 'string'))) return undefined;
  return {
    id: sub,
    name: typeof name === 'string' && name.trim() !== '' ? name : sub,
    // Roles the API does not know grant nothing; they are dropped rather than refused.
    roles: [...new Set(roles.filter(isApiRole))],
    teams: [...new Set((teams as string[] | undefined) ?? [])],
  };
}
