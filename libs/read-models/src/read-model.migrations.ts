import { MigrationInterface } from 'typeorm';

/** Migrations of the read-model tables, in order (filled by the projections work). */
export const READ_MODEL_MIGRATIONS: (new () => MigrationInterface)[] = [];
