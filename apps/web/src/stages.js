/** The playbook's stage keys in funnel order (GET /v1/playbook lists them the same way). */
export const FUNNEL_STAGES = ['TARGET', 'POTENTIAL', 'INTENT', 'PROJECT', 'APPROVED', 'NEGOTIATION', 'WON'];
export const OPEN_STAGES = FUNNEL_STAGES.slice(0, -1);
export const ALL_STAGES = [...FUNNEL_STAGES, 'LOST'];

/** Currencies named anywhere in a funnel answer, sorted: amounts are never added across them. */
export function currenciesOf(stages) {
  return [...new Set(stages.flatMap((s) => s.byCurrency.map((c) => c.currency)))].sort();
}
