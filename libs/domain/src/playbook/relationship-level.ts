/**
 * How close a person on the customer's side is to us. One vocabulary for an account's key people
 * and a deal's buying roles (the SWOT's "relationship level with the customer and with its
 * executives, middle managers and technical staff"), weakest first.
 */
export const RELATIONSHIP_LEVELS = ['OPPOSED', 'UNKNOWN', 'ACQUAINTED', 'TRUSTING', 'ADVOCATE'] as const;

export type RelationshipLevel = (typeof RELATIONSHIP_LEVELS)[number];

export function isRelationshipLevel(value: unknown): value is RelationshipLevel {
  return typeof value === 'string' && (RELATIONSHIP_LEVELS as readonly string[]).includes(value);
}
