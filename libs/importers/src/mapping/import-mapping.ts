/**
 * How a source's words map onto ours: its stage names onto the seven stages and LOST, and the
 * values a source does not carry (currency, industry, region, team, a blank account). Each
 * format has documented defaults (docs/importers.md); a mapping file given with `--mapping`
 * (or `mapping=` on POST /v1/imports) overrides any of them, stage by stage.
 */
import { DEAL_STATUS_STAGES, DealStatusStage } from '@funnel/domain/playbook/stage';

export interface ImportMapping {
  /** Source stage name (matched case-insensitively, trimmed) → our stage or LOST. */
  stages: Record<string, DealStatusStage>;
  /** For rows that name no currency. */
  currency: string;
  /** For rows that name no industry (Maven's pipeline names none). */
  industry: string;
  /** For rows (or Maven agents missing from sales_teams.csv) that name no region. */
  region: string;
  /** For rows (or agents) that name no team. */
  team: string;
  /** The account of a row whose account is blank (Maven leaves it blank on many open deals). */
  blankAccount: string;
  /**
   * When the source gives an open deal no date at all (Maven's Prospecting rows): 'latest', the
   * latest date in the file (the export's "as of"), or a date/instant.
   */
  undatedAt: string;
  /** maven: sales agent → team and region, instead of (or besides) sales_teams.csv. */
  teams?: Record<string, { team: string; region: string }>;
  /** maven: the sales teams file, relative to the pipeline file (CLI only). */
  teamsFile?: string;
  /** salesforce-history: the Opportunity export, relative to the history file (CLI only). */
  opportunitiesFile?: string;
}

export class ImportMappingError extends Error {
  constructor(readonly problems: string[]) {
    super(`the mapping is not usable: ${problems.join('; ')}`);
    this.name = 'ImportMappingError';
  }
}

const COMMON = { currency: 'USD', industry: 'Unknown', region: 'Unknown', team: 'Unassigned', blankAccount: '(no account)', undatedAt: 'latest' };

/** Our own names map onto themselves, whatever the format. */
const OWN_STAGES: Record<string, DealStatusStage> = Object.fromEntries(DEAL_STATUS_STAGES.map((s) => [s.toLowerCase(), s]));

export const DEFAULT_MAPPINGS = {
  /**
   * Prospecting: a target account being qualified (TARGET). Engaging: the rep is engaging the
   * customer, there is a sales opportunity (POTENTIAL, "有销售机会"); engage_date is its entry.
   */
  maven: {
    ...COMMON,
    stages: { prospecting: 'TARGET', engaging: 'POTENTIAL', won: 'WON', lost: 'LOST' },
    teamsFile: 'sales_teams.csv',
  },
  /** Salesforce's default opportunity stages. */
  'salesforce-history': {
    ...COMMON,
    stages: {
      prospecting: 'TARGET',
      qualification: 'POTENTIAL',
      'needs analysis': 'INTENT',
      'value proposition': 'INTENT',
      'id. decision makers': 'PROJECT',
      'perception analysis': 'PROJECT',
      'proposal/price quote': 'APPROVED',
      'negotiation/review': 'NEGOTIATION',
      'closed won': 'WON',
      'closed lost': 'LOST',
    },
    opportunitiesFile: 'Opportunity.csv',
  },
  /** Our own CSV names our own stages. */
  'stage-changes': { ...COMMON, stages: {} },
} satisfies Record<string, ImportMapping>;

export type ImportFormatName = keyof typeof DEFAULT_MAPPINGS;
export const IMPORT_FORMATS = Object.keys(DEFAULT_MAPPINGS) as ImportFormatName[];

export function isImportFormat(value: unknown): value is ImportFormatName {
  return typeof value === 'string' && (IMPORT_FORMATS as string[]).includes(value);
}

/** The format's defaults with the user's mapping laid over them; every problem listed at once. */
export function resolveMapping(format: ImportFormatName, given: unknown = {}): ImportMapping {
  const defaults: ImportMapping = DEFAULT_MAPPINGS[format];
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new ImportMappingError(['the mapping must be a JSON object']);
  const user = given as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['stages', 'currency', 'industry', 'region', 'team', 'blankAccount', 'undatedAt', 'teams', 'teamsFile', 'opportunitiesFile']);
  for (const key of Object.keys(user)) if (!known.has(key)) problems.push(`unknown key "${key}"`);

  const stages: Record<string, DealStatusStage> = { ...OWN_STAGES, ...defaults.stages };
  if (user.stages !== undefined) {
    if (typeof user.stages !== 'object' || user.stages === null) problems.push('stages must be an object of source stage → stage');
    else {
      for (const [name, stage] of Object.entries(user.stages)) {
        if (!(DEAL_STATUS_STAGES as readonly unknown[]).includes(stage)) {
          problems.push(`stages."${name}" must be one of ${DEAL_STATUS_STAGES.join(', ')}`);
        } else stages[name.trim().toLowerCase()] = stage as DealStatusStage;
      }
    }
  }
  const text = (key: 'currency' | 'industry' | 'region' | 'team' | 'blankAccount' | 'undatedAt' | 'teamsFile' | 'opportunitiesFile') => {
    const value = user[key];
    if (value === undefined) return defaults[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${key} must be a non-blank string`);
      return defaults[key];
    }
    return value.trim();
  };
  const mapping: ImportMapping = {
    stages,
    currency: text('currency')!.toUpperCase(),
    industry: text('industry')!,
    region: text('region')!,
    team: text('team')!,
    blankAccount: text('blankAccount')!,
    undatedAt: text('undatedAt')!,
    teamsFile: text('teamsFile'),
    opportunitiesFile: text('opportunitiesFile'),
  };
  if (!/^[A-Z]{3}$/.test(mapping.currency)) problems.push(`currency "${mapping.currency}" is not an ISO 4217 code`);
  if (mapping.undatedAt !== 'latest' && Number.isNaN(Date.parse(mapping.undatedAt))) problems.push(`undatedAt must be "latest" or a date`);
  if (user.teams !== undefined) {
    const teams = user.teams as Record<string, { team?: unknown; region?: unknown }>;
    const valid = typeof teams === 'object' && teams !== null && Object.values(teams).every((t) => typeof t?.team === 'string' && typeof t?.region === 'string');
    if (!valid) problems.push('teams must map each agent to { "team": string, "region": string }');
    else mapping.teams = teams as Record<string, { team: string; region: string }>;
  }
  if (problems.length > 0) throw new ImportMappingError(problems);
  return mapping;
}

/** Our stage for a source stage name, or undefined when the mapping does not know it. */
export function mapStage(mapping: ImportMapping, name: string): DealStatusStage | undefined {
  return mapping.stages[name.trim().toLowerCase()];
}
