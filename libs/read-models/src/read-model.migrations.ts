import { MigrationInterface } from 'typeorm';
import { CreateProjectionRegistry1732800000000 } from './migrations/1732800000000-create-projection-registry';
import { AddProjectionFailures1733000000000 } from './migrations/1733000000000-add-projection-failures';
import { CreateSurvivalProduct1733100000000 } from './migrations/1733100000000-create-survival-product';
import { CreateProcessCheckpoints1733100000000 } from './migrations/1733100000000-create-process-checkpoints';
import { AddCheckpointPartitions1733200000000 } from './migrations/1733200000000-add-checkpoint-partitions';

/** Migrations of the read-model tables, in order. */
export const READ_MODEL_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateProjectionRegistry1732800000000,
  AddProjectionFailures1733000000000,
  CreateSurvivalProduct1733100000000,
  CreateProcessCheckpoints1733100000000,
  AddCheckpointPartitions1733200000000,
];
