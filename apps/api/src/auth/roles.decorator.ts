import { SetMetadata } from '@nestjs/common';
import { ApiRole } from './actor';

export const REQUIRED_ROLES = 'funnel:requiredRoles';

/** The actor needs at least one of these roles; without this decorator any known role will do. */
export const Roles = (...roles: ApiRole[]) => SetMetadata(REQUIRED_ROLES, roles);
