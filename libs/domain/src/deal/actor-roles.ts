/** Roles (from the authenticated actor) that the domain's rules refer to. */
export const MANAGER_ROLE = 'manager';
export const FINANCE_ROLE = 'finance';
