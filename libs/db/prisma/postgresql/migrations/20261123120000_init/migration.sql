-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "metrics" JSONB NOT NULL,
    "artifactPath" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'staging',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "modelVersionId" INTEGER,

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingMetric" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PredictionLog" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "modelVersionId" INTEGER,
    "requestId" TEXT,
    "input" JSONB NOT NULL,
    "output" JSONB NOT NULL,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PredictionLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "predictionId" INTEGER,
    "eventId" TEXT,
    "label" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StreamCheckpoint" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "consumer" TEXT NOT NULL,
    "offset" TEXT NOT NULL,
    "state" BYTEA,
    "statePath" TEXT,
    "stateSha256" TEXT,
    "eventsApplied" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StreamCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftEvent" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "detector" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "eventId" TEXT,
    "payload" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "scope" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("scope","eventId")
);

-- CreateIndex
CREATE INDEX "ModelVersion_app_status_idx" ON "ModelVersion"("app", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_app_name_version_key" ON "ModelVersion"("app", "name", "version");

-- CreateIndex
CREATE INDEX "TrainingRun_app_startedAt_idx" ON "TrainingRun"("app", "startedAt");

-- CreateIndex
CREATE INDEX "TrainingMetric_runId_name_step_idx" ON "TrainingMetric"("runId", "name", "step");

-- CreateIndex
CREATE INDEX "PredictionLog_app_createdAt_idx" ON "PredictionLog"("app", "createdAt");

-- CreateIndex
CREATE INDEX "PredictionLog_requestId_idx" ON "PredictionLog"("requestId");

-- CreateIndex
CREATE INDEX "Feedback_app_createdAt_idx" ON "Feedback"("app", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StreamCheckpoint_stream_consumer_key" ON "StreamCheckpoint"("stream", "consumer");

-- CreateIndex
CREATE INDEX "DriftEvent_app_stream_position_idx" ON "DriftEvent"("app", "stream", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "DeadLetter_app_stream_createdAt_idx" ON "DeadLetter"("app", "stream", "createdAt");

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingMetric" ADD CONSTRAINT "TrainingMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionLog" ADD CONSTRAINT "PredictionLog_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "PredictionLog"("id") ON DELETE SET NULL ON UPDATE CASCADE;
