/** The pg pool of the read-model database (the runtime's databaseUrl), shared by a process. */
export const READ_MODEL_POOL = Symbol('READ_MODEL_POOL');
