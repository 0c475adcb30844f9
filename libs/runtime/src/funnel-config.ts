import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/**
 * Every setting Funnel reads, validated once at start. A bad value stops the start with a
 * message that names the variable (see the configuration table in README.md).
 */
export class FunnelConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Where the embedded PostgreSQL keeps its cluster (used only without DATABASE_URL). */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** An external PostgreSQL for events (unless EventStoreDB is set) and read models. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** When set, events go to EventStoreDB; read models stay in PostgreSQL. */
  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\/.+/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  /** HS256 secret for bearer tokens; required in production. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Events a projection reads and writes per transaction. */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(50000)
  PROJECTOR_BATCH_SIZE = 1000;

  /** How long an Idempotency-Key is remembered; a retry after that runs again (and is still deduplicated by its event ids). */
  @Transform(({ value }) => (value === undefined || value === '' ? 168 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(8760)
  IDEMPOTENCY_KEY_RETENTION_HOURS = 168;

  /** How often the projector records an audit anchor over every stream head; 0 turns it off. */
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(10080)
  AUDIT_ANCHOR_INTERVAL_MINUTES = 60;
}

/** A development-only secret so `npm start` works out of the box; refused in production. */
export const DEVELOPMENT_JWT_SECRET = 'funnel-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadFunnelConfig(env: Record<string, string | undefined> = process.env): FunnelConfig {
  const known = Object.keys(new FunnelConfig());
  const raw: Record<string, string> = {};
  for (const key of [...known, 'DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'JWT_SECRET']) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(FunnelConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m} (got ${JSON.stringify(e.value)})`),
  );
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    problems.push('JWT_SECRET: must be set when NODE_ENV=production');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export function jwtSecret(config: Pick<FunnelConfig, 'JWT_SECRET'>): string {
  return config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}
