import { gateFor } from './playbook';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from './default-playbook';
import { ASSESSMENT_KINDS } from './assessment-kind';
import { BUYING_ROLES } from './buying-role';
import { STAGES } from './stage';

const playbook = DEFAULT_PLAYBOOK;
const filled = (label: { en: string; zh: string }) => label.en.trim().length > 0 && label.zh.trim().length > 0;

describe('the default playbook', () => {
  it('has a version, under which it is published', () => {
    expect(playbook.version).toBe('2026.1');
    expect(PLAYBOOKS['2026.1']).toBe(playbook);
  });

  it('defines the seven stages in funnel order, then LOST', () => {
    expect(playbook.stages.map((s) => s.key)).toEqual([...STAGES, 'LOST']);
    expect(playbook.stages).toHaveLength(8);
  });

  it('labels every stage, marker, characteristic and action in English and Chinese', () => {
    for (const stage of playbook.stages) {
      expect(filled(stage.labels)).toBe(true);
      expect(filled(stage.marker)).toBe(true);
      for (const thing of [...stage.characteristics, ...stage.actions]) expect(filled(thing)).toBe(true);
    }
    expect(playbook.stages.find((s) => s.key === 'POTENTIAL')!.labels.zh).toBe('潜在客户');
  });

  it('gives every stage action a stable id under its stage, unique across the playbook', () => {
    const ids = playbook.stages.flatMap((s) => s.actions.map((a) => ({ stage: s.key, id: a.id })));
    for (const { stage, id } of ids) expect(id.startsWith(`${stage}.`)).toBe(true);
    expect(new Set(ids.map((a) => a.id)).size).toBe(ids.length);
    expect(playbook.stages.find((s) => s.key === 'TARGET')!.actions.map((a) => a.id)).toEqual([
      'TARGET.CHOOSE_MARKET',
      'TARGET.MINE_CUSTOMERS',
      'TARGET.SCREEN_TARGETS',
    ]);
  });

  it('asks three characteristics of a potential customer', () => {
    expect(playbook.stages.find((s) => s.key === 'POTENTIAL')!.characteristics).toHaveLength(3);
  });

  it('has a gate for each stage after TARGET, every criterion with a stable code and words in both languages', () => {
    expect(playbook.gates.map((g) => g.entering)).toEqual(STAGES.slice(1));
    const codes = playbook.gates.flatMap((g) => g.criteria.map((c) => c.code));
    expect(new Set(codes).size).toBe(codes.length);
    for (const gate of playbook.gates) {
      for (const criterion of gate.criteria) {
        expect(criterion.code.startsWith(`${gate.entering}.`)).toBe(true);
        expect(filled(criterion)).toBe(true);
      }
    }
    expect(gateFor(playbook, 'TARGET').criteria).toEqual([]);
  });

  it('gates each stage with the facts of the "Stage gates" table', () => {
    const codes = (stage: (typeof STAGES)[number]) => gateFor(playbook, stage).criteria.map((c) => c.code);
    expect(codes('POTENTIAL')).toEqual(['POTENTIAL.VISIT_REVIEWED', 'POTENTIAL.PROFILE_CHARACTERISTICS']);
    expect(codes('INTENT')).toEqual(['INTENT.PROBLEM_ANALYSED', 'INTENT.CUSTOMER_INTEREST']);
    expect(codes('PROJECT')).toEqual(['PROJECT.REAL_POSITIVE', 'PROJECT.CUSTOMER_PROJECT_OWNER', 'PROJECT.PRELIMINARY_BUDGET', 'PROJECT.TIMETABLE']);
    expect(codes('APPROVED')).toEqual([
      'APPROVED.WORTH_POSITIVE',
      'APPROVED.COMPETE_SUBMITTED',
      'APPROVED.WIN_SUBMITTED',
      'APPROVED.ECONOMIC_BUYER_IDENTIFIED',
      'APPROVED.COACH_IDENTIFIED',
      'APPROVED.PRELIMINARY_QUOTE',
      'APPROVED.FORECAST_PROBABILITY',
      'APPROVED.CLOSE_WITHIN_90_DAYS',
    ]);
    expect(codes('NEGOTIATION')).toEqual(playbook.negotiationConditions.map((c) => `NEGOTIATION.${c.id}`));
    expect(codes('WON')).toEqual(['WON.CONTRACT_SIGNED', 'WON.PAYMENT_CONFIRMED', 'WON.ORDER_SHIPPED']);
  });

  it('has four assessment catalogues of five criteria each, with stable ids and standards', () => {
    expect(playbook.assessments.map((a) => a.kind)).toEqual([...ASSESSMENT_KINDS]);
    for (const catalogue of playbook.assessments) {
      expect(catalogue.criteria).toHaveLength(5);
      for (const criterion of catalogue.criteria) {
        expect(criterion.id).toBe(`${catalogue.kind}.${criterion.number}`);
        expect(filled(criterion) && filled(criterion.question) && filled(criterion.standard)).toBe(true);
      }
    }
    expect(playbook.assessments.find((a) => a.kind === 'WORTH')!.criteria.map((c) => c.id)).toEqual([
      'WORTH.6',
      'WORTH.7',
      'WORTH.8',
      'WORTH.9',
      'WORTH.10',
    ]);
    expect(playbook.assessments.filter((a) => a.scoresCompetitors).map((a) => a.kind)).toEqual(['COMPETE', 'WIN']);
  });

  it('calls an assessment positive at four of five, as a setting', () => {
    expect(playbook.settings.assessmentVerdict).toEqual({ minPositive: 4 });
  });

  it('knows the four buying roles: exactly one economic buyer, at least one coach', () => {
    expect(playbook.buyingRoles.map((r) => r.role)).toEqual([...BUYING_ROLES]);
    expect(playbook.buyingRoles.find((r) => r.role === 'ECONOMIC_BUYER')!.count).toEqual({ min: 1, max: 1 });
    expect(playbook.buyingRoles.find((r) => r.role === 'COACH')!.count).toEqual({ min: 1, max: null });
    for (const role of playbook.buyingRoles) expect(filled(role.labels) && filled(role.decides) && filled(role.caresAbout)).toBe(true);
  });

  it('lists the 13 procurement milestones in order', () => {
    expect(playbook.procurementMilestones.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(playbook.procurementMilestones[4]).toMatchObject({ id: 'RFP_ISSUED', number: 5 });
    expect(new Set(playbook.procurementMilestones.map((m) => m.id)).size).toBe(13);
  });

  it('lists the 11 evaluation categories', () => {
    expect(playbook.evaluationCategories).toHaveLength(11);
    expect(new Set(playbook.evaluationCategories.map((c) => c.id)).size).toBe(11);
    expect(playbook.evaluationCategories.at(-1)).toMatchObject({ id: 'OTHER', zh: '其他' });
  });

  it('lists the 7 negotiation entry conditions', () => {
    expect(playbook.negotiationConditions.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(playbook.negotiationConditions[0].zh).toBe('与老总或高级主管或ERP负责人见面沟通过');
  });

  it('closes a deal only when signed, paid (confirmed by finance) and shipped', () => {
    expect(playbook.wonConditions.map((c) => c.id)).toEqual(['CONTRACT_SIGNED', 'FIRST_PAYMENT_CONFIRMED', 'ORDER_SHIPPED']);
  });

  it('sets the APPROVED thresholds: probability above 50, close within 90 days', () => {
    expect(playbook.settings.approvedGate).toEqual({ minProbabilityExclusive: 50, maxDaysToExpectedClose: 90 });
  });

  it('is plain JSON, served as it is', () => {
    expect(JSON.parse(JSON.stringify(playbook))).toEqual(playbook);
  });

  it('cannot be changed in place: a new playbook is a new version', () => {
    expect(() => {
      (playbook.settings.assessmentVerdict as { minPositive: number }).minPositive = 1;
    }).toThrow(TypeError);
    expect(playbook.settings.assessmentVerdict.minPositive).toBe(4);
  });
});
