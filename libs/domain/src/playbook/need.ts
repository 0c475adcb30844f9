/** The three dimensions of a customer's needs (三维的客户需求). */
export const NEED_DIMENSIONS = ['APPLICATION', 'TECHNICAL', 'RELATIONSHIP'] as const;

export type NeedDimension = (typeof NEED_DIMENSIONS)[number];

/** Explicit needs are seen and conscious; latent ones are not (yet). */
export const NEED_VISIBILITIES = ['EXPLICIT', 'LATENT'] as const;

export type NeedVisibility = (typeof NEED_VISIBILITIES)[number];
