import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
// chart.js's package exports do not list the UMD build, so find it beside the main entry.
const chartJsDir = dirname(createRequire(import.meta.url).resolve('chart.js'));

/** The dashboard page and its assets; chart.js comes straight from node_modules (no CDN, works offline). */
export function mountDashboard(app: Express): void {
  const files: Record<string, [string, string]> = {
    '/': [join(publicDir, 'index.html'), 'text/html; charset=utf-8'],
    '/dashboard.js': [join(publicDir, 'dashboard.js'), 'text/javascript; charset=utf-8'],
    '/heatmap.js': [join(publicDir, 'heatmap.js'), 'text/javascript; charset=utf-8'],
    '/dashboard.css': [join(publicDir, 'dashboard.css'), 'text/css; charset=utf-8'],
    '/vendor/chart.umd.min.js': [join(chartJsDir, 'chart.umd.min.js'), 'text/javascript; charset=utf-8'],
  };
  for (const [path, [file, type]] of Object.entries(files)) {
    app.get(path, (_req, res, next) => {
      res.type(type);
      res.sendFile(file, { maxAge: 0 }, (err) => err && next(err));
    });
  }
}
