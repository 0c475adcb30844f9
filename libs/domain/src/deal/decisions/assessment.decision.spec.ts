/** The four opportunity assessments: judged criterion by criterion, verdict computed. */
import { AssessmentCriterionInput, SubmitAssessment } from '../deal.commands';
import { DealEvent, DealEventOf } from '../deal.events';
import { foldDeal } from '../deal.evolve';
import { OpenDealState } from '../deal.state';
import { AssessmentKind, Mark } from '../../playbook/assessment-kind';
import { DEFAULT_PLAYBOOK } from '../../playbook/default-playbook';
import { Playbook } from '../../playbook/playbook';
import { NEGATIVE, POSITIVE, assessmentSubmitted, dealOpened } from '../../testing/deal-fixtures';
import { given } from '../../testing/decider-specification';

const ids = (kind: AssessmentKind) => DEFAULT_PLAYBOOK.assessments.find((a) => a.kind === kind)!.criteria.map((c) => c.id);
const judged = (kind: AssessmentKind, marks: Mark[]): AssessmentCriterionInput[] =>
  ids(kind).map((criterionId, i) => ({ criterionId, mark: marks[i], comment: `comment on ${criterionId}` }));
const submit = (kind: AssessmentKind, marks: Mark[], extra: Partial<SubmitAssessment['data']> = {}): SubmitAssessment => ({
  type: 'SubmitAssessment',
  data: { kind, criteria: judged(kind, marks), ...extra },
});
const submitted = (events: DealEvent[]) => events[0] as DealEventOf<'AssessmentSubmitted'>;

describe('submitting an assessment', () => {
  it('is positive when four of five criteria are met, recording the rule it used', () => {
    const event = submitted(given([dealOpened()]).when(submit('REAL', POSITIVE, { conclusion: 'real' })).events());
    expect(event.data).toMatchObject({
      kind: 'REAL',
      revision: 1,
      verdict: 'POSITIVE',
      counts: { plus: 4, minus: 1, unknown: 0 },
      rule: { minPositive: 4, of: 5 },
      conclusion: 'real',
      playbookVersion: '2026.1',
      competitors: [],
      competitorResults: [],
    });
    expect(event.data.criteria[0]).toEqual({ criterionId: 'REAL.1', us: { mark: '+', comment: 'comment on REAL.1' }, competitors: [] });
  });

  it('is negative with three of five', () => {
    expect(submitted(given([dealOpened()]).when(submit('WORTH', NEGATIVE)).events()).data.verdict).toBe('NEGATIVE');
  });

  it('does not count "?" as negative: four met and one unknown is positive', () => {
    const event = submitted(given([dealOpened()]).when(submit('REAL', ['+', '+', '?', '+', '+'])).events());
    expect(event.data.verdict).toBe('POSITIVE');
    expect(event.data.counts).toEqual({ plus: 4, minus: 0, unknown: 1 });
  });

  it('does not count "?" as met either: three met and two unknown is not yet positive', () => {
    const event = submitted(given([dealOpened()]).when(submit('REAL', ['+', '?', '+', '?', '+'])).events());
    expect(event.data.verdict).toBe('NEGATIVE');
    expect(event.data.counts).toEqual({ plus: 3, minus: 0, unknown: 2 });
  });

  it('follows the verdict rule of the playbook in use', () => {
    const lenient: Playbook = { ...DEFAULT_PLAYBOOK, version: 'lenient-1', settings: { ...DEFAULT_PLAYBOOK.settings, assessmentVerdict: { minPositive: 3 } } };
    const event = submitted(given([dealOpened()]).when(submit('REAL', NEGATIVE), { playbook: lenient }).events());
    expect(event.data).toMatchObject({ verdict: 'POSITIVE', rule: { minPositive: 3, of: 5 }, playbookVersion: 'lenient-1' });
  });

  it('is superseded by a later one of the same kind', () => {
    const first = assessmentSubmitted('REAL', POSITIVE);
    expect(submitted(given([dealOpened(), first]).when(submit('REAL', NEGATIVE)).events()).data.revision).toBe(2);
    const state = foldDeal([dealOpened(), first, assessmentSubmitted('WORTH', POSITIVE), assessmentSubmitted('REAL', NEGATIVE, { revision: 2 })]) as OpenDealState;
    expect(state.assessments.REAL).toMatchObject({ revision: 2, verdict: 'NEGATIVE' });
    expect(state.assessments.WORTH).toMatchObject({ revision: 1, verdict: 'POSITIVE' });
  });

  it('judges every criterion of its catalogue', () => {
    const fourOnly = { type: 'SubmitAssessment', data: { kind: 'REAL', criteria: judged('REAL', POSITIVE).slice(0, 4) } } as const;
    expect(given([dealOpened()]).when(fourOnly).thenThrows('INCOMPLETE_ASSESSMENT').message).toContain('REAL.5');
  });

  it('judges only criteria of its catalogue', () => {
    const criteria = [...judged('REAL', POSITIVE).slice(0, 4), { criterionId: 'WORTH.6', mark: '+' as const }];
    given([dealOpened()]).when({ type: 'SubmitAssessment', data: { kind: 'REAL', criteria } }).thenThrows('UNKNOWN_CRITERION');
  });

  it('knows only +, - and ?', () => {
    const criteria = judged('REAL', POSITIVE).map((c, i) => (i === 0 ? { ...c, mark: '0' as Mark } : c));
    given([dealOpened()]).when({ type: 'SubmitAssessment', data: { kind: 'REAL', criteria } }).thenThrows('INVALID_COMMAND');
  });

  it('does not score competitors on "is it real?"', () => {
    given([dealOpened()]).when(submit('REAL', POSITIVE, { competitors: ['Rival Soft'] })).thenThrows('INVALID_COMMAND');
  });
});

describe('can we compete? and can we really win?', () => {
  it('carry a column per named competitor, with its own verdict', () => {
    const criteria = judged('COMPETE', ['+', '+', '-', '+', '+']).map((c, i) => ({
      ...c,
      competitors: [{ competitor: 'Rival Soft', mark: (i < 4 ? '+' : '-') as Mark, comment: 'strong locally' }],
    }));
    const event = submitted(
      given([dealOpened()]).when({ type: 'SubmitAssessment', data: { kind: 'COMPETE', competitors: ['Rival Soft', 'Oracle'], criteria } }).events(),
    );
    expect(event.data.competitors).toEqual(['Rival Soft', 'Oracle']);
    expect(event.data.criteria[0].competitors).toEqual([
      { competitor: 'Rival Soft', mark: '+', comment: 'strong locally' },
      { competitor: 'Oracle', mark: '?' },
    ]);
    expect(event.data.verdict).toBe('POSITIVE');
    expect(event.data.competitorResults).toEqual([
      { competitor: 'Rival Soft', plus: 4, minus: 1, unknown: 0, verdict: 'POSITIVE' },
      { competitor: 'Oracle', plus: 0, minus: 0, unknown: 5, verdict: 'NEGATIVE' },
    ]);
  });

  it('score only competitors named on the assessment', () => {
    const criteria = judged('WIN', POSITIVE).map((c) => ({ ...c, competitors: [{ competitor: 'Unnamed Corp', mark: '+' as const }] }));
    given([dealOpened()]).when({ type: 'SubmitAssessment', data: { kind: 'WIN', competitors: ['Rival Soft'], criteria } }).thenThrows('UNKNOWN_COMPETITOR');
  });
});
