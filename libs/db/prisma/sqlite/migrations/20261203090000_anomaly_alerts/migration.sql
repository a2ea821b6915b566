-- CreateTable: alerts and scored snippets of the anomaly app's streaming scorer.
CREATE TABLE "AnomalyAlert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "app" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "camera" TEXT NOT NULL,
    "startSnippet" INTEGER NOT NULL,
    "endSnippet" INTEGER NOT NULL,
    "peakScore" REAL NOT NULL,
    "expertClass" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AnomalyScore" (
    "stream" TEXT NOT NULL,
    "camera" TEXT NOT NULL,
    "snippet" INTEGER NOT NULL,
    "score" REAL NOT NULL,
    "expertClass" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("stream", "camera", "snippet")
);

-- CreateIndex
CREATE UNIQUE INDEX "AnomalyAlert_stream_camera_startSnippet_key" ON "AnomalyAlert"("stream", "camera", "startSnippet");

-- CreateIndex
CREATE INDEX "AnomalyAlert_app_camera_startSnippet_idx" ON "AnomalyAlert"("app", "camera", "startSnippet");

-- CreateIndex
CREATE INDEX "AnomalyScore_camera_snippet_idx" ON "AnomalyScore"("camera", "snippet");
