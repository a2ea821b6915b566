/**
 * Dashboard browser test: starts the suite (`apps/suite/src/main.ts`, its own process, a fresh SQLite data
 * directory seeded with model versions, a training run, stream checkpoints and drift events), opens it in
 * headless Chromium and checks that the page loads, every panel is in a legitimate state and the charts —
 * line, bar and expert-load heatmap — are drawn. Writes test-output/dashboard.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, registerModelVersion } from '@moe/db';
import { startChildService, type ChildService } from '@moe/load';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
let dataDir: string;
let suite: ChildService;
let browser: Browser | undefined;

/** Per chart: its key, canvas width and how many pixels are not transparent. */
const PAINTED_PIXELS = `[...document.querySelectorAll('.chart')].map((box) => {
  const c = box.querySelector('canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
  return { key: box.dataset.key, width: c.width, painted };
})`;

/** Distinct opaque blue shades on the first heatmap: its cells carry the colour scale. */
const HEATMAP_BLUES = `(() => {
  const c = document.querySelector('.chart.heat canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 4 * 7) if (d[i + 3] === 255 && d[i + 2] > d[i] + 40) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
  return seen.size;
})()`;

/** What a registered app's evaluation might record: metrics plus routing share per domain × expert. */
async function seed(dir: string): Promise<void> {
  const db = await openDb({ dataDir: dir });
  try {
    const domains = ['search', 'feed', 'ads'];
    for (const [i, auc] of [0.702, 0.731].entries()) {
      await registerModelVersion(db, {
        app: 'ctr', name: 'mmoe', config: { experts: 4 }, artifactPath: `models/ctr/mmoe/${i + 1}`, sha256: 'c'.repeat(64),
        metrics: { auc, logloss: 0.45 - i * 0.02, expertLoad: { rowLabels: domains, columnLabels: ['e0', 'e1', 'e2', 'e3'], values: domains.map((_, d) => [0.1, 0.2, 0.3, 0.4].map((v, e) => (e === d ? v + 0.3 : v) / 1.3)) } },
      });
    }
    const run = await db.client.trainingRun.create({ data: { app: 'ctr', modelName: 'mmoe', params: { lr: 0.01 }, status: 'succeeded' } });
    await db.client.trainingMetric.createMany({ data: Array.from({ length: 40 }, (_, s) => [{ runId: run.id, name: 'loss', step: s, value: 0.7 * Math.exp(-s / 15) + 0.3 }, { runId: run.id, name: 'auc', step: s, value: 0.5 + 0.23 * (1 - Math.exp(-s / 10)) }]).flat() });
    await registerModelVersion(db, { app: 'drift', name: 'driftmoe', config: { experts: 8 }, metrics: { accuracy: 0.874, kappa: 0.71 }, artifactPath: 'models/drift/driftmoe/1', sha256: 'd'.repeat(64), status: 'production' });
    await db.client.streamCheckpoint.create({ data: { app: 'drift', stream: 'elec', consumer: 'worker-1', offset: '45312', eventsApplied: 45312 } });
    await db.client.driftEvent.createMany({ data: [5000, 12_500, 19_800, 33_000].map((position, i) => ({ app: 'drift', stream: 'elec', position, detector: 'adwin', kind: i % 2 ? 'warning' : 'drift', details: {} })) });
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'moe-dashboard-spec-'));
  await seed(dataDir);
  suite = await startChildService(join(repoRoot, 'apps', 'suite', 'src', 'main.ts'), {
    cwd: repoRoot,
    env: { PORT: '0', MOE_DATA_DIR: dataDir, MOE_PRINT_READY: '1', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    timeoutMs: 120_000,
  });
});
afterAll(async () => {
  await browser?.close();
  const code = await suite?.stop();
  expect(code, 'the suite exits cleanly on SIGTERM').toBe(0);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('suite dashboard in headless Chromium', () => {
  it('loads, shows every app panel and draws its charts (line, bar, heatmap)', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const res = await page.goto(`${suite.url}/`);
    expect(res?.status()).toBe(200);
    // Browser-side code is passed as strings: this project compiles without DOM types.
    await page.waitForFunction('(window.__dashboard?.state.polls ?? 0) >= 1', undefined, { timeout: 30_000 });
    // Second poll: live rate charts need two samples.
    await page.waitForFunction('window.__dashboard.state.polls >= 2', undefined, { timeout: 30_000 });

    const badges = await page.$$eval('section.panel', (els) => els.map((e) => [e.id, e.querySelector('.badge')?.textContent ?? '']));
    expect(badges.map(([id]) => id)).toEqual(['panel-platform', 'panel-ctr', 'panel-drift', 'panel-remote-sensing', 'panel-deweather', 'panel-anomaly']);
    for (const [id, badge] of badges) expect(['available', 'unavailable'], `${id} is '${badge}'`).toContain(badge);
    for (const [id, badge] of badges) {
      if (badge === 'unavailable') expect(await page.textContent(`#${id} .notice`)).toMatch(/not available yet/);
    }

    const drawn = (await page.evaluate(PAINTED_PIXELS)) as { key: string; width: number; painted: number }[];
    const keys = drawn.map((d) => d.key);
    for (const k of ['platform:rate', 'platform:rss', 'ctr:models', 'ctr:training', 'ctr:heat:expert load at evaluation — mmoe v2', 'drift:models', 'drift:stream', 'drift:drift']) {
      expect(keys, `chart ${k}`).toContain(k);
    }
    for (const d of drawn) {
      expect(d.width, d.key).toBeGreaterThan(100);
      expect(d.painted, `${d.key} has drawn pixels`).toBeGreaterThan(500);
    }
    const heatColours = (await page.evaluate(HEATMAP_BLUES)) as number;
    expect(heatColours).toBeGreaterThanOrEqual(4);
    expect(await page.textContent('#panel-ctr table')).toContain('mmoe');
    expect(pageErrors).toEqual([]);

    mkdirSync(join(repoRoot, 'test-output'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-output', 'dashboard.png'), fullPage: true });
  });
});
