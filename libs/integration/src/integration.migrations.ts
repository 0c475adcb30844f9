import { CreateIntegrationTables1733100000000 } from './migrations/1733100000000-create-integration-tables';

/** Migrations of the outbound paths' tables (checkpoints, webhooks), in order. */
export const INTEGRATION_MIGRATIONS = [CreateIntegrationTables1733100000000];
