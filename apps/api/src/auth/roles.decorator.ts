import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiRole } from './actor';

export const REQUIRED_ROLES = 'funnel:requiredRoles';

/**
 * The actor needs at least one of these roles (403 naming them otherwise). Every route that is
 * not @Public() must say which roles it serves (test/hardening/role-matrix.http.spec.ts reads
 * them from the OpenAPI document, where they appear as `x-roles`).
 */
export const Roles = (...roles: ApiRole[]) => applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiExtension('x-roles', roles));
