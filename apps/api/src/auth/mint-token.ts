import { JwtService } from '@nestjs/jwt';
import type { StringValue } from 'ms';
import { FunnelConfig } from '@funnel/runtime/funnel-config';
import { ApiRole } from './actor';
import { jwtModuleOptions } from './jwt-settings';

export interface TokenClaims {
  sub: string;
  name: string;
  roles: ApiRole[];
  /** Teams whose deals the holder may act on; `["*"]` for all. Left out: none. */
  teams?: string[];
}

/**
 * A bearer token signed (HS256) with the configured secret, with `exp` (always), and `iss`/`aud`
 * when configured: for the CLI, the demo and tests.
 */
export function mintToken(config: FunnelConfig, claims: TokenClaims, expiresIn = '8h'): string {
  const jwt = new JwtService(jwtModuleOptions(config));
  return jwt.sign(
    { sub: claims.sub, name: claims.name, roles: claims.roles, ...(claims.teams && { teams: claims.teams }) },
    // jsonwebtoken types durations as `ms` strings ("8h", "30m"); it refuses malformed ones.
    { expiresIn: expiresIn as StringValue },
  );
}
