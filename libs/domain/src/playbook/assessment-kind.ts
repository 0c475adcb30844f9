/**
 * The four opportunity assessments (销售机会评估): is it real? worth winning? can we compete?
 * can we really win? COMPETE and WIN are scored for us and for each named competitor.
 */
export const ASSESSMENT_KINDS = ['REAL', 'WORTH', 'COMPETE', 'WIN'] as const;

export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** A criterion is judged against its standard: `+` meets it, `-` does not, `?` unknown yet. */
export const MARKS = ['+', '-', '?'] as const;

export type Mark = (typeof MARKS)[number];

export type Verdict = 'POSITIVE' | 'NEGATIVE';

export function isAssessmentKind(value: unknown): value is AssessmentKind {
  return typeof value === 'string' && (ASSESSMENT_KINDS as readonly string[]).includes(value);
}

export function isMark(value: unknown): value is Mark {
  return typeof value === 'string' && (MARKS as readonly string[]).includes(value);
}
