/**
 * The dashboard's generic image-app pieces in headless Chromium: an app panel's `images` (PNG data URLs,
 * side by side) and `bars` (per-class bar charts) are drawn. The app here is a probe whose panel shows a
 * generated scene, its label map and per-class shares, as the image apps do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppModule, DashboardData } from '@moe/service';
import { startSuite, type Suite } from '@moe/suite';
import { classShares, encodePng, generateScene, labelsToImage, SCENE_CLASSES } from '@moe/vision';

const CHROMIUM = '/usr/bin/chromium';
let dataDir: string;
let suite: Suite;
let browser: Browser | undefined;

const dataUrl = async (img: Parameters<typeof encodePng>[0]) => `data:image/png;base64,${Buffer.from(await encodePng(img)).toString('base64')}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'moe-dashboard-images-'));
  const scene = await generateScene({ domain: 'urban-rgb', size: 64, seed: 1 });
  const panel: DashboardData = {
    status: 'probe panel',
    images: [
      { title: 'input tile', src: await dataUrl(scene.image), caption: 'urban-rgb seed 1', width: 192 },
      { title: 'ground truth', src: await dataUrl(labelsToImage(scene.labels, scene.width, scene.height)), width: 192 },
    ],
    bars: [{ title: 'class shares', labels: [...SCENE_CLASSES], series: [{ name: 'truth', values: classShares(scene.labels, 7) }], yMin: 0, yMax: 1 }],
  };
  const probe: AppModule = { name: 'probe', title: 'Probe', routes: [], dashboard: () => panel };
  suite = await startSuite({ port: 0, dataDir, logger: pino({ level: 'silent' }), apps: [{ name: 'probe', title: 'Probe', packageName: '@moe/probe', load: async () => ({ appModule: probe }) }] });
});
afterAll(async () => {
  await browser?.close();
  await suite?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard images and bar charts', () => {
  it('draws the panel images side by side and the bar chart', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'] });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${suite.url}/`);
    await page.waitForFunction('(window.__dashboard?.state.polls ?? 0) >= 2', undefined, { timeout: 30_000 });
    const images = (await page.evaluate(`[...document.querySelectorAll('#panel-probe .picture')].map((f) => {
      const img = f.querySelector('img');
      const r = img.getBoundingClientRect();
      return { key: f.dataset.key, title: f.querySelector('.title').textContent, complete: img.complete, natural: img.naturalWidth, width: r.width, top: r.top, left: r.left };
    })`)) as { key: string; title: string; complete: boolean; natural: number; width: number; top: number; left: number }[];
    expect(images.map((i) => i.title)).toEqual(['input tile', 'ground truth']);
    for (const im of images) {
      expect(im.complete && im.natural, `${im.title} decoded`).toBe(64);
      expect(im.width).toBe(192);
    }
    expect(images[1].top, 'side by side').toBe(images[0].top);
    expect(images[1].left).toBeGreaterThan(images[0].left);
    const painted = (await page.evaluate(`(() => {
      const c = document.querySelector('#panel-probe [data-key="probe:bars:class shares"] canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })()`)) as number;
    expect(painted).toBeGreaterThan(500);
    // A third poll keeps the same <img> elements (no flicker) and the page has no script errors.
    await page.waitForFunction('window.__dashboard.state.polls >= 3', undefined, { timeout: 30_000 });
    expect(await page.locator('#panel-probe .picture').count()).toBe(2);
    expect(errors).toEqual([]);
  });
});
