-- CreateTable: alerts and scored snippets of the anomaly app's streaming scorer.
CREATE TABLE "AnomalyAlert" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "camera" TEXT NOT NULL,
    "startSnippet" INTEGER NOT NULL,
    "endSnippet" INTEGER NOT NULL,
    "peakScore" DOUBLE PRECISION NOT NULL,
    "expertClass" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnomalyAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnomalyScore" (
    "stream" TEXT NOT NULL,
    "camera" TEXT NOT NULL,
    "snippet" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "expertClass" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnomalyScore_pkey" PRIMARY KEY ("stream","camera","snippet")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnomalyAlert_stream_camera_startSnippet_key" ON "AnomalyAlert"("stream", "camera", "startSnippet");

-- CreateIndex
CREATE INDEX "AnomalyAlert_app_camera_startSnippet_idx" ON "AnomalyAlert"("app", "camera", "startSnippet");

-- CreateIndex
CREATE INDEX "AnomalyScore_camera_snippet_idx" ON "AnomalyScore"("camera", "snippet");
