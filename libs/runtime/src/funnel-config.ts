import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
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

  /** A streaming replica of the read-model database: the analytics endpoints (/v1/analytics/*, /v1/anomalies) read there. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'READ_MODEL_REPLICA_URL must be a postgres:// URL' })
  READ_MODEL_REPLICA_URL?: string;

  /** When set, events go to EventStoreDB; read models stay in PostgreSQL. */
  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\/.+/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  /** HS256 secret for bearer tokens; required in production (≥ 32 characters, not the development default). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET?: string;

  /** When set, tokens must carry this `iss`, and minted ones do. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_ISSUER?: string;

  /** When set, tokens must carry this `aud`, and minted ones do. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  JWT_AUDIENCE?: string;

  /** Clock difference tolerated on `exp` and `nbf`, in seconds. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(300)
  JWT_CLOCK_SKEW_SECONDS = 5;

  /** own: a rep acts on the deals they own; team: also on the deals of the teams in their token. */
  @IsIn(['own', 'team'])
  OWNERSHIP_POLICY: 'own' | 'team' = 'own';

  /** Largest request body accepted, in bytes (after decompression), before anything is parsed. */
  @Transform(({ value }) => (value === undefined || value === '' ? 262144 : Number(value)))
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 262144;

  /**
   * Largest CSV body POST /v1/imports takes, in bytes (also after decompression). The body is
   * parsed as it streams in, never held whole, but the parsed history is kept until the file
   * ends (nothing is appended from a file cut short), so this bounds that memory: 64 MiB by default.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 67108864 : Number(value)))
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  IMPORT_BODY_LIMIT_BYTES = 67108864;

  /** Deepest nesting of objects and arrays in a JSON body, checked on the text before parsing. */
  @Transform(({ value }) => (value === undefined || value === '' ? 16 : Number(value)))
  @IsInt()
  @Min(2)
  @Max(256)
  HTTP_MAX_JSON_DEPTH = 16;

  /** Longest string (in UTF-16 code units) anywhere in a JSON body or a query parameter. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10000 : Number(value)))
  @IsInt()
  @Min(16)
  @Max(10_000_000)
  HTTP_MAX_STRING_LENGTH = 10000;

  /** Most elements of any one array in a JSON body. */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HTTP_MAX_ARRAY_LENGTH = 1000;

  /** Requests per token (or per IP without one) in each RATE_LIMIT_WINDOW_SECONDS; 0 turns rate limiting off. */
  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  RATE_LIMIT_REQUESTS = 3000;

  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** /health/ready answers 503 while any projection lags the feed by more than this many seconds. */
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(1)
  READY_MAX_PROJECTION_LAG_SECONDS = 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Deals each api process keeps folded between commands (the least recently used go first); 0 reads every stream anew. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  DEAL_CACHE_SIZE = 5000;

  /** Events a projection reads and writes per transaction. */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(50000)
  PROJECTOR_BATCH_SIZE = 1000;

  /**
   * How many partitions (by a hash of the deal) a projection's new generation is split into, to
   * share it among that many projector processes; projections that add deals together stay one.
   * A live generation keeps its number: another one applies from its next rebuild.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 1 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(64)
  PROJECTOR_PARTITIONS = 1;

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

  /** Seconds between the comment lines that keep an idle Server-Sent Events stream open. */
  @Transform(({ value }) => (value === undefined || value === '' ? 15 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(300)
  SSE_HEARTBEAT_SECONDS = 15;

  /** Deliver webhooks to private, loopback and link-local addresses too (tests, closed networks). */
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /** Failed attempts of one delivery after which its subscription pauses and its pending deliveries are dead-lettered. */
  @Transform(({ value }) => (value === undefined || value === '' ? 12 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS = 12;

  /** First retry delay; each further one doubles (with jitter) up to WEBHOOK_RETRY_MAX_MS. */
  @Transform(({ value }) => (value === undefined || value === '' ? 2000 : Number(value)))
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 2000;

  @Transform(({ value }) => (value === undefined || value === '' ? 600_000 : Number(value)))
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_MS = 600_000;

  /** Per call: connecting, sending and reading the answer's status. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** A NATS server with JetStream (nats://host:4222): when set, the projector publishes stage changes there. */
  @IsOptional()
  @Matches(/^(nats|tls|wss?):\/\/.+/, { message: 'NATS_URL must be a nats:// URL' })
  NATS_URL?: string;

  /** The JetStream stream the publisher creates (if missing) and publishes to. */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'NATS_STREAM must be 1-64 letters, digits, _ or -' })
  NATS_STREAM = 'FUNNEL';
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
  for (const key of [...known, ...OPTIONAL_SETTINGS]) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(FunnelConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}${shownValue(e.property, e.value)}`),
  );
  if (config.NODE_ENV === 'production') problems.push(...productionSecretProblems(config.JWT_SECRET));
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Settings without a default (absent means "not used"). */
const OPTIONAL_SETTINGS = ['DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING', 'JWT_SECRET', 'JWT_ISSUER', 'JWT_AUDIENCE', 'NATS_URL'];

/** Values that may carry a secret (a key, a password inside a URL): a refusal never prints them. */
const SECRET_SETTINGS = new Set(['JWT_SECRET', 'DATABASE_URL', 'EVENTSTORE_CONNECTION_STRING']);

function shownValue(property: string, value: unknown): string {
  return SECRET_SETTINGS.has(property) ? ' (value not shown)' : ` (got ${JSON.stringify(value)})`;
}

/** HS256 wants a key of at least 256 bits; the published default forges tokens anywhere. */
export const PRODUCTION_JWT_SECRET_MIN_LENGTH = 32;

function productionSecretProblems(secret: string | undefined): string[] {
  if (!secret) return ['JWT_SECRET: must be set when NODE_ENV=production (a random string of at least 32 characters)'];
  if (secret === DEVELOPMENT_JWT_SECRET) {
    return ['JWT_SECRET: is the published development default, which anyone can use to forge tokens; set a random one of at least 32 characters'];
  }
  if (secret.length < PRODUCTION_JWT_SECRET_MIN_LENGTH) {
    return [`JWT_SECRET: must be at least ${PRODUCTION_JWT_SECRET_MIN_LENGTH} characters when NODE_ENV=production (value not shown)`];
  }
  return [];
}

export function jwtSecret(config: Pick<FunnelConfig, 'JWT_SECRET'>): string {
  return config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}
