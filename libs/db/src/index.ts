export { openDb, type Db, type DbClient, type OpenDbOptions } from './client.js';
export { resolveDbConfig, describeDbConfig, redactUrl, DEFAULT_SQLITE_FILE, type DbConfig, type DbProvider, type ResolveDbConfigOptions } from './config.js';
export { DbError, isUniqueViolation, type DbErrorCode } from './errors.js';
export { loadMigrations, migrationsDir, type MigrationFile } from './migration-files.js';
export { applyMigrations, type MigrationResult, type MigrationTarget, type AppliedMigration } from './migrator.js';
export { Prisma } from './generated/sqlite/client.js';
export type {
  ModelVersion, TrainingRun, TrainingMetric, PredictionLog, Feedback, StreamCheckpoint, DriftEvent, ApiKey, DeadLetter, ProcessedEvent,
} from './generated/sqlite/client.js';
export { startPostgresServer, findPostgresBinDir, type PostgresServer } from './postgres-test-server.js';
export { createApiKey, findApiKey, hashApiKey, apiKeyScopes, touchApiKey, revokeApiKey, countActiveApiKeys, API_KEY_PREFIX, type CreatedApiKey } from './api-keys.js';
export { registerModelVersion, listModelVersions, setModelStatus, MODEL_STATUSES, type ModelStatus, type RegisterModelVersionInput } from './model-registry.js';
export { reapOrphanedTrainingRuns, heartbeatTrainingRuns, processOwnerToken, DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS, type ReapOptions } from './training-runs.js';
