import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'funnel:isPublic';

/** The route needs no bearer token (health, the playbook). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
