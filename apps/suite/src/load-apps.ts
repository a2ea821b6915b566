import type { Logger } from 'pino';
import { APP_NAME_PATTERN, type AppModule } from '@moe/service';
import type { RegisteredApp } from './apps.js';

/** How a registered app came out of loading, as shown on its dashboard panel. */
export type AppAvailability =
  | { readonly name: string; readonly title: string; readonly state: 'available'; readonly module: AppModule }
  | { readonly name: string; readonly title: string; readonly state: 'unavailable'; readonly reason: string }
  | { readonly name: string; readonly title: string; readonly state: 'failed'; readonly reason: string };

function isAppModule(v: unknown): v is AppModule {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<Record<keyof AppModule, unknown>>;
  return typeof m.name === 'string' && typeof m.title === 'string' && Array.isArray(m.routes);
}

/** Only "this very package is not installed/built" counts as not-available; anything else is a real error. */
function isMissingPackage(err: unknown, packageName: string): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && typeof e.message === 'string' && e.message.includes(`'${packageName}'`);
}

/**
 * Imports every registered app. An app that is not there yet (package missing, or no `appModule` export)
 * is reported as unavailable; an app whose module throws is reported as failed with its error logged in
 * full — never silently dropped — and, with `strict`, start-up fails.
 */
export async function loadApps(entries: readonly RegisteredApp[], log: Logger, options: { strict?: boolean } = {}): Promise<AppAvailability[]> {
  const out: AppAvailability[] = [];
  for (const entry of entries) {
    const base = { name: entry.name, title: entry.title };
    let mod: Record<string, unknown>;
    try {
      mod = await entry.load();
    } catch (err) {
      if (isMissingPackage(err, entry.packageName)) {
        out.push({ ...base, state: 'unavailable', reason: `package ${entry.packageName} is not installed` });
        continue;
      }
      log.error({ err, app: entry.name }, `app ${entry.name} failed to load`);
      if (options.strict) throw err;
      out.push({ ...base, state: 'failed', reason: (err as Error)?.message ?? String(err) });
      continue;
    }
    const candidate = mod.appModule;
    if (candidate === undefined) {
      out.push({ ...base, state: 'unavailable', reason: `${entry.packageName} does not export appModule yet` });
      continue;
    }
    if (!isAppModule(candidate) || candidate.name !== entry.name || !APP_NAME_PATTERN.test(candidate.name)) {
      const reason = `${entry.packageName} exports appModule, but it is not an AppModule named '${entry.name}' (needs name, title, routes)`;
      log.error({ app: entry.name }, reason);
      if (options.strict) throw new TypeError(reason);
      out.push({ ...base, state: 'failed', reason });
      continue;
    }
    out.push({ ...base, state: 'available', module: candidate });
  }
  return out;
}
