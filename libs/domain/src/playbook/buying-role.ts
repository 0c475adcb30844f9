/** The four roles that shape a customer's buying decision (影响企业采购决定的四种角色). */
export const BUYING_ROLES = ['ECONOMIC_BUYER', 'TECHNICAL_BUYER', 'USER', 'COACH'] as const;

export type BuyingRole = (typeof BUYING_ROLES)[number];

export function isBuyingRole(value: unknown): value is BuyingRole {
  return typeof value === 'string' && (BUYING_ROLES as readonly string[]).includes(value);
}
