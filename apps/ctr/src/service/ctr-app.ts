import { resolve, sep } from 'node:path';
import { z } from 'zod';
import { listModelVersions, setModelStatus } from '@moe/db';
import { defineRoute, HttpError, type AppModule, type DashboardData } from '@moe/service';
import { loadCtrArtifact } from '../artifact/model-artifact.js';
import type { RawRow } from '../data/raw-row.js';
import { runTraining } from '../train/run-training.js';
import { parseTrainConfig, type TrainConfig } from '../train/train-config.js';
import { ModelSlot } from './model-slot.js';
import { PredictInputError, predictRows } from './predict-rows.js';
import { TrainingJobs } from './training-jobs.js';
import type { OnlineLearner } from './online-learner.js';

export interface CtrAppOptions {
  /** Where trained artefacts are written. */
  artifactsDir: string;
  /** Server-side files POST /train may read (data.path must resolve inside); without it only synthetic data is accepted. */
  dataDir?: string;
  /** Rows per predict request (default 1024). */
  maxBatch?: number;
  /** An artefact to serve at start when the registry has no production version. */
  modelPath?: string;
  /** Without a model anywhere, train a small synthetic one at start (so a fresh suite can answer). */
  bootstrap?: boolean;
}

export interface CtrApp {
  module: AppModule;
  slot: ModelSlot;
  jobs: TrainingJobs;
  /** Set by the worker process to publish its online statistics on the dashboard. */
  attachLearner(learner: OnlineLearner<unknown>): void;
}

const rawValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/** Builds the CTR app: predict, model versions with hot swap, training runs, dashboard data. */
export function createCtrApp(options: CtrAppOptions): CtrApp {
  const slot = new ModelSlot();
  let jobs: TrainingJobs | undefined;
  let learner: OnlineLearner<unknown> | undefined;
  const gateUsage = new Map<string, number[]>();
  const maxBatch = options.maxBatch ?? 1024;
  const jobsOf = () => {
    if (!jobs) throw new HttpError('unavailable', 'the ctr app has not started yet');
    return jobs;
  };

  const predictRoute = defineRoute({
    method: 'post',
    path: '/predict',
    summary: 'Click (and conversion) probabilities per task for a batch of raw feature rows',
    auth: false,
    body: z.strictObject({ rows: z.array(z.record(z.string(), rawValue)).min(1).max(maxBatch) }),
    handler: async ({ body }) => {
      const lease = slot.lease();
      if (!lease) throw new HttpError('unavailable', 'no CTR model is loaded yet (train one with POST /api/ctr/train)');
      try {
        const out = await predictRows(lease.served, body.rows as RawRow[]);
        for (const [k, v] of Object.entries(out.diagnostics)) {
          if (!k.startsWith('gate/')) continue;
          const prev = gateUsage.get(k);
          gateUsage.set(k, prev && prev.length === v.length ? prev.map((x, i) => 0.9 * x + 0.1 * v[i]) : v);
        }
        return { model: lease.served.version, kind: lease.served.artifact.model.config.kind, predictions: out.predictions };
      } catch (e) {
        if (e instanceof PredictInputError) throw new HttpError('invalid_request', e.message, { path: e.path });
        throw e;
      } finally {
        lease.release();
      }
    },
  });

  const modelsRoute = defineRoute({
    method: 'get',
    path: '/models',
    summary: 'Registered CTR model versions and the one being served',
    handler: async ({ db }) => ({ serving: slot.current?.version ?? null, versions: db ? await listModelVersions(db, 'ctr') : [] }),
  });

  const activateRoute = defineRoute({
    method: 'post',
    path: '/models/activate',
    summary: 'Hot-swap serving to a registered version (in-flight requests finish on the old one)',
    scope: 'ctr:admin',
    body: z.strictObject({ id: z.number().int().positive() }),
    handler: async ({ body, db }) => {
      if (!db) throw new HttpError('unavailable', 'no model registry database is configured');
      const row = (await db.client.modelVersion.findUnique({ where: { id: body.id } })) ?? undefined;
      if (!row || row.app !== 'ctr') throw new HttpError('not_found', `no ctr model version with id ${body.id}`, { path: 'body.id' });
      const artifact = await loadCtrArtifact(row.artifactPath);
      slot.swap(artifact, `v${row.id}`);
      await setModelStatus(db, row.id, 'production');
      return { serving: `v${row.id}`, name: row.name, version: row.version };
    },
  });

  const trainRoute = defineRoute({
    method: 'post',
    path: '/train',
    summary: 'Start a training run (progress and metrics are stored); returns its id',
    scope: 'ctr:train',
    status: 202,
    body: z.strictObject({ config: z.unknown(), activate: z.boolean().default(true) }),
    handler: async ({ body }) => {
      let config: TrainConfig;
      try {
        config = parseTrainConfig(body.config);
      } catch (e) {
        throw new HttpError('invalid_request', (e as Error).message.replace(/trainConfig\./g, 'body.config.'), { path: 'body.config' });
      }
      if ('path' in config.data) {
        const root = options.dataDir ? resolve(options.dataDir) : undefined;
        const target = resolve(root ?? '/', config.data.path);
        if (!root || !(target === root || target.startsWith(root + sep))) throw new HttpError('invalid_request', `body.config.data.path: must be a file inside the configured data directory${root ? '' : ' (none is configured: use synthetic data)'}`, { path: 'body.config.data.path' });
        config = { ...config, data: { ...config.data, path: target } };
      }
      const { run } = await jobsOf().start(config, body.activate);
      return { runId: run.id, status: run.status };
    },
  });

  const runRoute = defineRoute({
    method: 'get',
    path: '/train/:id',
    summary: 'State, metrics and summary of a training run',
    params: z.object({ id: z.coerce.number().int().positive() }),
    handler: ({ params }) => {
      const run = jobsOf().get(params.id);
      if (!run) throw new HttpError('not_found', `no training run ${params.id} in this process`, { path: 'params.id' });
      return run;
    },
  });

  const module: AppModule = {
    name: 'ctr',
    title: 'Multi-domain CTR',
    description: 'Shared-Bottom, per-domain towers, MMoE, PLE, STAR, AdaptDHM and HoME with per-domain/per-task heads',
    routes: [predictRoute, modelsRoute, activateRoute, trainRoute, runRoute],
    async onStart(ctx) {
      jobs = new TrainingJobs({ db: ctx.db, slot, artifactsDir: options.artifactsDir, log: (m) => ctx.log.warn(m) });
      const production = ctx.db ? (await listModelVersions(ctx.db, 'ctr')).find((v) => v.status === 'production') : undefined;
      if (production) {
        slot.swap(await loadCtrArtifact(production.artifactPath), `v${production.id}`);
      } else if (options.modelPath) {
        slot.swap(await loadCtrArtifact(options.modelPath), 'file');
      } else if (options.bootstrap) {
        // Small synthetic model in the background: predict answers 503 until it is ready.
        void runTraining({ data: { synthetic: { rows: 6000, seed: 1, numUsers: 300, numItems: 200 } }, model: { kind: 'mmoe', hidden: [32, 16] }, training: { epochs: 2 } })
          .then(({ artifact }) => {
            if (!slot.current) slot.swap(artifact, 'bootstrap');
            else artifact.model.dispose();
          })
          .catch((e: unknown) => ctx.log.error({ err: e }, 'ctr bootstrap training failed'));
      }
    },
    onStop() {
      slot.dispose();
      learner?.dispose();
    },
    dashboard(): DashboardData {
      const served = slot.current;
      const perDomain = (served?.artifact.metadata.perDomainAuc ?? {}) as Record<string, number>;
      const heatmaps: NonNullable<DashboardData['heatmaps']> = [];
      if (gateUsage.size) {
        const rows = [...gateUsage.keys()].sort();
        const width = Math.max(...rows.map((k) => gateUsage.get(k)!.length));
        heatmaps.push({ title: 'Gate weight per expert, by task (recent requests)', rowLabels: rows.map((k) => k.slice(5)), columnLabels: Array.from({ length: width }, (_, i) => `expert ${i}`), values: rows.map((k) => Array.from({ length: width }, (_, i) => gateUsage.get(k)![i] ?? 0)) });
      }
      const domains = Object.keys(perDomain).filter((d) => Number.isFinite(perDomain[d]));
      if (domains.length) heatmaps.push({ title: 'Test AUC per domain (serving model)', rowLabels: ['AUC'], columnLabels: domains, values: [domains.map((d) => perDomain[d])] });
      const online = learner?.stats;
      if (online && Object.keys(online.recentDomainAuc).length) {
        const ds = Object.keys(online.recentDomainAuc).sort();
        heatmaps.push({ title: 'Online prequential AUC per domain', rowLabels: ['AUC'], columnLabels: ds, values: [ds.map((d) => online.recentDomainAuc[d])] });
      }
      const running = jobs?.list().filter((r) => r.status === 'running') ?? [];
      return {
        status: served ? `serving ${served.artifact.model.config.kind} ${served.version}${running.length ? `; training ${running.map((r) => r.model).join(', ')}` : ''}` : 'no model loaded',
        stats: [
          { label: 'training runs', value: jobs?.list().length ?? 0 },
          ...(online ? [{ label: 'online labelled impressions', value: online.labelled }, { label: 'fine-tune steps', value: online.fineTuneSteps }] : []),
        ],
        heatmaps,
      };
    },
  };

  return { module, slot, get jobs() { return jobsOf(); }, attachLearner: (l) => (learner = l) };
}
