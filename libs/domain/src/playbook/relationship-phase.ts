/**
 * The relationship phases of an account (客户关系发展阶段): breakthrough 突破期 → consolidation
 * 巩固期 → harvest 收获期 → defence 防御期. They describe the customer as a whole, across deals.
 */
export const RELATIONSHIP_PHASES = ['BREAKTHROUGH', 'CONSOLIDATION', 'HARVEST', 'DEFENCE'] as const;

export type RelationshipPhase = (typeof RELATIONSHIP_PHASES)[number];

export function isRelationshipPhase(value: unknown): value is RelationshipPhase {
  return typeof value === 'string' && (RELATIONSHIP_PHASES as readonly string[]).includes(value);
}
