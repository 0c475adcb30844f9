/**
 * Submitting an opportunity assessment: every criterion of the kind's catalogue judged `+`, `-`
 * or `?` (unknown, not negative); the verdict is computed with the playbook's rule and recorded
 * with it. A later assessment of the same kind supersedes the earlier one.
 */
import { ASSESSMENT_KINDS, MARKS, Mark, Verdict } from '../../playbook/assessment-kind';
import { Playbook, assessmentCatalogue } from '../../playbook/playbook';
import { DealCommandData } from '../deal.commands';
import { DomainError } from '../deal.errors';
import { DealEvent } from '../deal.events';
import { ExistingDealState } from '../deal.state';
import { CompetitorResult, CriterionJudgement, MarkCounts, VerdictRule } from '../deal.values';
import { requireOneOf, requireText } from '../deal.validation';

export function submitAssessment(
  data: DealCommandData<'SubmitAssessment'>,
  deal: ExistingDealState,
  playbook: Playbook,
  occurredAt: string,
): DealEvent[] {
  const kind = requireOneOf(data.kind, ASSESSMENT_KINDS, 'kind');
  const catalogue = assessmentCatalogue(playbook, kind);
  if (!catalogue) throw new DomainError('INVALID_COMMAND', `the playbook has no ${kind} assessment`);

  const competitors = catalogue.scoresCompetitors ? namedCompetitors(data.competitors) : [];
  if (!catalogue.scoresCompetitors && (data.competitors?.length ?? 0) > 0) {
    throw new DomainError('INVALID_COMMAND', `a ${kind} assessment is not scored for competitors`);
  }

  const given = new Map<string, DealCommandData<'SubmitAssessment'>['criteria'][number]>();
  for (const c of data.criteria ?? []) {
    if (!catalogue.criteria.some((k) => k.id === c.criterionId)) {
      throw new DomainError('UNKNOWN_CRITERION', `${String(c.criterionId)} is not a criterion of ${kind}`);
    }
    if (given.has(c.criterionId)) throw new DomainError('INVALID_COMMAND', `${c.criterionId} is judged twice`);
    given.set(c.criterionId, c);
  }
  const missing = catalogue.criteria.filter((k) => !given.has(k.id)).map((k) => k.id);
  if (missing.length > 0) throw new DomainError('INCOMPLETE_ASSESSMENT', `not judged: ${missing.join(', ')}`);

  const criteria: CriterionJudgement[] = catalogue.criteria.map(({ id }) => {
    const input = given.get(id)!;
    for (const c of input.competitors ?? []) {
      if (!competitors.includes(c.competitor)) {
        throw new DomainError('UNKNOWN_COMPETITOR', `${String(c.competitor)} is not among the named competitors of this assessment`);
      }
    }
    return {
      criterionId: id,
      us: judgement(input.mark, input.comment, id),
      competitors: competitors.map((competitor) => {
        const column = input.competitors?.find((c) => c.competitor === competitor);
        return { competitor, ...judgement(column?.mark ?? '?', column?.comment, `${id} for ${competitor}`) };
      }),
    };
  });

  const rule: VerdictRule = { minPositive: playbook.settings.assessmentVerdict.minPositive, of: catalogue.criteria.length };
  const counts = countMarks(criteria.map((c) => c.us.mark));
  const competitorResults: CompetitorResult[] = competitors.map((competitor) => {
    const theirs = countMarks(criteria.map((c) => c.competitors.find((j) => j.competitor === competitor)!.mark));
    return { competitor, ...theirs, verdict: verdictOf(theirs, rule) };
  });

  return [
    {
      type: 'AssessmentSubmitted',
      data: {
        kind,
        revision: (deal.assessments[kind]?.revision ?? 0) + 1,
        competitors,
        criteria,
        verdict: verdictOf(counts, rule),
        counts,
        rule,
        competitorResults,
        ...(data.conclusion !== undefined && { conclusion: data.conclusion }),
        occurredAt,
        playbookVersion: playbook.version,
      },
    },
  ];
}

export function countMarks(marks: readonly Mark[]): MarkCounts {
  return {
    plus: marks.filter((m) => m === '+').length,
    minus: marks.filter((m) => m === '-').length,
    unknown: marks.filter((m) => m === '?').length,
  };
}

/** Positive when at least `minPositive` criteria are `+`; a `?` is not held against the deal, nor for it. */
export function verdictOf(counts: MarkCounts, rule: VerdictRule): Verdict {
  return counts.plus >= rule.minPositive ? 'POSITIVE' : 'NEGATIVE';
}

function judgement(mark: unknown, comment: string | undefined, field: string): { mark: Mark; comment?: string } {
  return { mark: requireOneOf(mark, MARKS, `mark of ${field}`), ...(comment !== undefined && { comment }) };
}

function namedCompetitors(names: string[] | undefined): string[] {
  const list = (names ?? []).map((n, i) => requireText(n, `competitors[${i}]`));
  if (new Set(list).size !== list.length) throw new DomainError('INVALID_COMMAND', 'a competitor is named twice');
  return list;
}
