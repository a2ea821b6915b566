/**
 * The apps the suite mounts, in dashboard order. To add an app: give its package a named export
 * `appModule` (an AppModule from @moe/service) in its `src/index.ts`, add it to this list and to
 * apps/suite/package.json's dependencies. An app whose package does not export `appModule` yet shows a
 * "not available yet" panel; an app whose module throws while loading shows the error (see load-apps.ts).
 */
export interface RegisteredApp {
  readonly name: string;
  readonly title: string;
  /** The package name, for messages and to tell "this package is missing" from "it imports something missing". */
  readonly packageName: string;
  readonly load: () => Promise<Record<string, unknown>>;
}

export const registeredApps: readonly RegisteredApp[] = [
  { name: 'ctr', title: 'Multi-domain CTR prediction', packageName: '@moe/ctr', load: () => import('@moe/ctr') },
  { name: 'drift', title: 'DriftMoE stream learning', packageName: '@moe/drift', load: () => import('@moe/drift') },
  { name: 'remote-sensing', title: 'Remote sensing: Earth-Adapter', packageName: '@moe/remote-sensing', load: () => import('@moe/remote-sensing') },
  { name: 'deweather', title: 'Image deweathering: MoFME', packageName: '@moe/deweather', load: () => import('@moe/deweather') },
  { name: 'anomaly', title: 'GS-MoE video anomaly detection', packageName: '@moe/anomaly', load: () => import('@moe/anomaly') },
];
