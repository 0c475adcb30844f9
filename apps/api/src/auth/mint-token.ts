import { JwtService } from '@nestjs/jwt';
import type { StringValue } from 'ms';
import { FunnelConfig, jwtSecret } from '@funnel/runtime/funnel-config';
import { ApiRole } from './actor';

export interface TokenClaims {
  sub: string;
  name: string;
  roles: ApiRole[];
}

/** A bearer token signed (HS256) with the configured secret: for the CLI, the demo and tests. */
export function mintToken(config: FunnelConfig, claims: TokenClaims, expiresIn = '8h'): string {
  const jwt = new JwtService({ secret: jwtSecret(config) });
  return jwt.sign(
    { sub: claims.sub, name: claims.name, roles: claims.roles },
    // jsonwebtoken types durations as `ms` strings ("8h", "30m"); it refuses malformed ones.
    { algorithm: 'HS256', expiresIn: expiresIn as StringValue },
  );
}
