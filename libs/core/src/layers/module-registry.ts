import type { Module, ModuleConfig } from '../module/module.js';

/** A module's kind and config: enough, with its weights, to rebuild it (checkpoints store this). */
export interface ModuleSpec {
  kind: string;
  config: ModuleConfig;
}

/** Builds a module of one kind from its config; `build` rebuilds nested child specs. */
export type ModuleFactory = (config: ModuleConfig, build: (spec: ModuleSpec) => Module) => Module;

const factories = new Map<string, ModuleFactory>();
const fallbacks: ((spec: ModuleSpec) => Module | undefined)[] = [];

/** Adds a resolver asked for kinds with no factory (another registry, e.g. the routers'). */
export function registerModuleFallback(resolve: (spec: ModuleSpec) => Module | undefined): void {
  fallbacks.push(resolve);
}

/** Registers (or replaces) the factory for `kind`. Apps register their own composite modules the same way. */
export function registerModuleKind(kind: string, factory: ModuleFactory): void {
  if (typeof kind !== 'string' || kind.length === 0) throw new Error(`registerModuleKind: kind must be a non-empty string; got ${JSON.stringify(kind)}`);
  factories.set(kind, factory);
}

/** Kinds that `moduleFromConfig` can build. */
export function registeredModuleKinds(): string[] {
  return [...factories.keys()].sort();
}

/** The spec of a module instance. */
export function moduleSpec(m: Module): ModuleSpec {
  return { kind: m.kind, config: m.getConfig() };
}

/** Rebuilds a module (fresh weights from its seed) from a spec; load weights with `setWeights` afterwards. */
export function moduleFromConfig(spec: ModuleSpec): Module {
  if (spec == null || typeof spec !== 'object' || typeof spec.kind !== 'string') {
    throw new Error(`moduleFromConfig: spec must be {kind, config}; got ${JSON.stringify(spec)}`);
  }
  const f = factories.get(spec.kind);
  if (!f) {
    for (const resolve of fallbacks) {
      const m = resolve(spec);
      if (m) return m;
    }
  }
  if (!f) throw new Error(`moduleFromConfig: unknown kind '${spec.kind}' (registered: ${registeredModuleKinds().join(', ') || 'none'})`);
  if (spec.config == null || typeof spec.config !== 'object' || Array.isArray(spec.config)) {
    throw new Error(`moduleFromConfig: ${spec.kind} config must be an object; got ${JSON.stringify(spec.config)}`);
  }
  return f(spec.config, moduleFromConfig);
}

/** Reads a nested child spec out of a parent's config, naming the field when it is malformed. */
export function childSpec(owner: string, config: ModuleConfig, field: string): ModuleSpec {
  const v = config[field];
  if (v == null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { kind?: unknown }).kind !== 'string') {
    throw new Error(`${owner}: config.${field} must be a module spec {kind, config}; got ${JSON.stringify(v)}`);
  }
  return v as unknown as ModuleSpec;
}
