-- AlterTable: the process that runs a training run and its last heartbeat, so orphaned runs can be reaped.
ALTER TABLE "TrainingRun" ADD COLUMN "owner" TEXT;
ALTER TABLE "TrainingRun" ADD COLUMN "heartbeatAt" DATETIME;

-- CreateIndex
CREATE INDEX "TrainingRun_status_heartbeatAt_idx" ON "TrainingRun"("status", "heartbeatAt");
