import { JwtModuleOptions } from '@nestjs/jwt';
import { createSecretKey, KeyObject } from 'node:crypto';
import { FunnelConfig, jwtSecret } from '@funnel/runtime/funnel-config';

type JwtConfig = Pick<FunnelConfig, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_CLOCK_SKEW_SECONDS'>;

/**
 * The HS256 key as a KeyObject, made once: given a string, jsonwebtoken would build one on
 * every request (issue #13 measured it on the hot path).
 */
export function jwtKey(config: Pick<FunnelConfig, 'JWT_SECRET'>): KeyObject {
  return createSecretKey(Buffer.from(jwtSecret(config), 'utf8'));
}

/**
 * One place for what a token must be: HS256 only, `exp` present (checked by the guard: the
 * library accepts tokens without), `iss`/`aud` when configured, clock skew bounded.
 */
export function jwtModuleOptions(config: JwtConfig): JwtModuleOptions {
  const key = jwtKey(config) as unknown as Buffer; // @nestjs/jwt types a secret as string | Buffer; jsonwebtoken takes a KeyObject as is
  return {
    secret: key,
    signOptions: {
      algorithm: 'HS256',
      ...(config.JWT_ISSUER !== undefined && { issuer: config.JWT_ISSUER }),
      ...(config.JWT_AUDIENCE !== undefined && { audience: config.JWT_AUDIENCE }),
    },
    verifyOptions: {
      algorithms: ['HS256'],
      clockTolerance: config.JWT_CLOCK_SKEW_SECONDS,
      ...(config.JWT_ISSUER !== undefined && { issuer: config.JWT_ISSUER }),
      ...(config.JWT_AUDIENCE !== undefined && { audience: config.JWT_AUDIENCE }),
    },
  };
}
