/**
 * The relationship-phase rules as versioned data, like the stage gates: what each phase means,
 * what must hold to enter it (its gate), which deal facts make the system *suggest* a phase,
 * and who decides. A suggestion is only ever an event a manager accepts or dismisses; no rule
 * changes a phase by itself. Publish a new version to change them; events name the version.
 */
import { Label } from './playbook';
import { RelationshipLevel } from './relationship-level';
import { RelationshipPhase } from './relationship-phase';

export interface PhaseDefinition {
  key: RelationshipPhase;
  labels: Label;
  /** What the phase is about, in the courseware's words. */
  meaning: Label;
}

/** How a phase gate criterion is checked against the account's recorded facts. */
export type PhaseGateCheck = { kind: 'DEAL_WON' }; // at least one of the account's deals has been won

export interface PhaseGateCriterion extends Label {
  /** Stable, e.g. 'CONSOLIDATION.DEAL_WON'. */
  code: string;
  check: PhaseGateCheck;
}

export interface PhaseGate {
  entering: RelationshipPhase;
  criteria: PhaseGateCriterion[];
}

/** A deal fact, noted on its account, that a suggestion rule may react to. */
export type DealFactKind = 'DEAL_WON' | 'COMPETITOR_RECORDED' | 'LOST_TO_COMPETITOR';

export interface PhaseSuggestionRule extends Label {
  /** Stable, e.g. 'FIRST_WIN'; suggestions name the rule that made them. */
  id: string;
  when: DealFactKind;
  /** Only for the account's first fact of this kind (the first win). */
  firstOnly: boolean;
  /** Only on key accounts. */
  keyAccountsOnly: boolean;
  /** Only from these phases. */
  fromPhases: RelationshipPhase[];
  suggest: RelationshipPhase;
}

export interface PhaseRules {
  version: string;
  /** The phase an account is opened in. */
  initialPhase: RelationshipPhase;
  phases: PhaseDefinition[];
  gates: PhaseGate[];
  suggestions: PhaseSuggestionRule[];
  /** Roles that may change a phase, accept or dismiss a suggestion, or override a phase gate. */
  decidedBy: string[];
  relationshipLevels: (Label & { id: RelationshipLevel })[];
}

const dealWon = (phase: RelationshipPhase): PhaseGateCriterion => ({
  code: `${phase}.DEAL_WON`,
  check: { kind: 'DEAL_WON' },
  en: 'At least one deal of the account has been won (the first sale is made)',
  zh: '该客户至少有一个成交的项目（已实现首单）',
});

export const DEFAULT_PHASE_RULES: PhaseRules = deepFreeze({
  version: 'phases-2026.1',
  initialPhase: 'BREAKTHROUGH',
  phases: [
    {
      key: 'BREAKTHROUGH',
      labels: { en: 'Breakthrough', zh: '突破期' },
      meaning: { en: 'The hardest phase: establish our image, learn the customer, make the first sale', zh: '最困难：建立形象，了解客户，实现首单' },
    },
    {
      key: 'CONSOLIDATION',
      labels: { en: 'Consolidation', zh: '巩固期' },
      meaning: { en: 'From ordinary to key account; any slip loses it', zh: '从普通客户到重点客户；任何失误都可能失去' },
    },
    {
      key: 'HARVEST',
      labels: { en: 'Harvest', zh: '收获期' },
      meaning: { en: 'Maximum share of the customer, partnership', zh: '最大份额，合作伙伴关系' },
    },
    {
      key: 'DEFENCE',
      labels: { en: 'Defence', zh: '防御期' },
      meaning: { en: "Challenged by competitors' price or technology; rebuild", zh: '受到竞争对手价格或技术的挑战；重建' },
    },
  ],
  // Every phase change is a person's judgement with a written reason (decide refuses one
  // without); the gates add the facts a phase needs. Breakthrough lasts until the first won deal.
  // Harvest and defence are judged by people: no rule suggests harvest, and defence is only
  // suggested.
  gates: [
    { entering: 'BREAKTHROUGH', criteria: [] },
    { entering: 'CONSOLIDATION', criteria: [dealWon('CONSOLIDATION')] },
    { entering: 'HARVEST', criteria: [dealWon('HARVEST')] },
    { entering: 'DEFENCE', criteria: [] },
  ],
  suggestions: [
    {
      id: 'FIRST_WIN',
      en: "The account's first won deal: the breakthrough is made",
      zh: '客户的第一个成交项目：突破已实现',
      when: 'DEAL_WON',
      firstOnly: true,
      keyAccountsOnly: false,
      fromPhases: ['BREAKTHROUGH'],
      suggest: 'CONSOLIDATION',
    },
    {
      // Defence means holding a relationship we have: in breakthrough there is none yet.
      id: 'COMPETITOR_ON_KEY_ACCOUNT',
      en: 'A competitor was recorded on a deal of a key account',
      zh: '重点客户的项目上出现了竞争对手',
      when: 'COMPETITOR_RECORDED',
      firstOnly: false,
      keyAccountsOnly: true,
      fromPhases: ['CONSOLIDATION', 'HARVEST'],
      suggest: 'DEFENCE',
    },
    {
      id: 'LOST_TO_COMPETITOR',
      en: 'A deal of the account was lost to a competitor',
      zh: '客户的项目输给了竞争对手',
      when: 'LOST_TO_COMPETITOR',
      firstOnly: false,
      keyAccountsOnly: false,
      fromPhases: ['CONSOLIDATION', 'HARVEST'],
      suggest: 'DEFENCE',
    },
  ],
  decidedBy: ['manager'],
  relationshipLevels: [
    { id: 'OPPOSED', en: 'Opposed to us', zh: '反对我们' },
    { id: 'UNKNOWN', en: 'No relationship yet', zh: '尚无关系' },
    { id: 'ACQUAINTED', en: 'Knows us', zh: '认识' },
    { id: 'TRUSTING', en: 'Trusts us', zh: '信任' },
    { id: 'ADVOCATE', en: 'Speaks for us inside the customer', zh: '在客户内部支持我们' },
  ],
});

/** Published phase rules by version, so account events are read against the rules they were decided by. */
export const PHASE_RULES: Readonly<Record<string, PhaseRules>> = { [DEFAULT_PHASE_RULES.version]: DEFAULT_PHASE_RULES };

export function phaseGateFor(rules: PhaseRules, entering: RelationshipPhase): PhaseGate {
  return rules.gates.find((g) => g.entering === entering) ?? { entering, criteria: [] };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
