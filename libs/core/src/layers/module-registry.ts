import { checkConfigFields, checkFieldsAgainstDescription } from '../config/config-fields.js';
import { MoeConfigError } from '../errors/moe-error.js';
import type { Module, ModuleConfig } from '../module/module.js';

/** A module's kind and config: enough, with its weights, to rebuild it (checkpoints store this). */
export interface ModuleSpec {
  kind: string;
  config: ModuleConfig;
}

/** Builds a module of one kind from its config; `build` rebuilds nested child specs. */
export type ModuleFactory = (config: ModuleConfig, build: (spec: ModuleSpec) => Module) => Module;

/** How `moduleFromConfig` checks a kind's config keys. */
export interface ModuleKindOptions {
  /**
   * Every config field the kind accepts (build it with `configFields<YourConfig>()` so it matches the config
   * type): unknown keys are rejected before anything is built. Without it the built module's own
   * `getConfig()` is the list, checked right after building (the module is disposed when a key is unknown).
   */
  fields?: readonly string[];
}

const factories = new Map<string, { build: ModuleFactory; fields?: readonly string[] }>();
const fallbacks: ((spec: ModuleSpec) => Module | undefined)[] = [];

/** Adds a resolver asked for kinds with no factory (another registry, e.g. the routers'). */
export function registerModuleFallback(resolve: (spec: ModuleSpec) => Module | undefined): void {
  fallbacks.push(resolve);
}

/** Registers (or replaces) the factory for `kind`. Apps register their own composite modules the same way. */
export function registerModuleKind(kind: string, factory: ModuleFactory, options: ModuleKindOptions = {}): void {
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new MoeConfigError('invalid_field', 'registerModuleKind', `registerModuleKind: kind must be a non-empty string; got ${JSON.stringify(kind)}`, 'kind');
  }
  factories.set(kind, { build: factory, fields: options.fields });
}

/** Kinds that `moduleFromConfig` can build. */
export function registeredModuleKinds(): string[] {
  return [...factories.keys()].sort();
}

/** The spec of a module instance. */
export function moduleSpec(m: Module): ModuleSpec {
  return { kind: m.kind, config: m.getConfig() };
}

/**
 * Rebuilds a module (fresh weights from its seed) from a spec; load weights with `setWeights` afterwards.
 * Throws a {@link MoeConfigError}: `invalid_spec` (not `{kind, config}`), `unknown_kind`, `unknown_field`
 * (a config key the kind does not accept, at any depth; `field` names it) or `invalid_field`.
 */
export function moduleFromConfig(spec: ModuleSpec): Module {
  const owner = 'moduleFromConfig';
  if (spec == null || typeof spec !== 'object' || Array.isArray(spec) || typeof spec.kind !== 'string') {
    throw new MoeConfigError('invalid_spec', owner, `moduleFromConfig: spec must be {kind, config}; got ${JSON.stringify(spec)}`);
  }
  checkConfigFields(owner, spec, ['kind', 'config']);
  if (spec.config == null || typeof spec.config !== 'object' || Array.isArray(spec.config)) {
    throw new MoeConfigError('invalid_spec', owner, `moduleFromConfig: ${spec.kind} config must be an object; got ${JSON.stringify(spec.config)}`, 'config');
  }
  const entry = factories.get(spec.kind);
  if (!entry) {
    for (const resolve of fallbacks) {
      const m = resolve(spec);
      if (m) return m;
    }
    throw new MoeConfigError('unknown_kind', owner, `moduleFromConfig: unknown kind '${spec.kind}' (registered: ${registeredModuleKinds().join(', ') || 'none'})`, 'kind');
  }
  if (entry.fields) checkConfigFields(spec.kind, spec.config, entry.fields);
  const m = entry.build(spec.config, moduleFromConfig);
  if (!entry.fields) {
    try {
      checkFieldsAgainstDescription(spec.kind, spec.config, m.getConfig());
    } catch (e) {
      m.dispose();
      throw e;
    }
  }
  return m;
}

/** Reads a nested child spec out of a parent's config, naming the field when it is malformed. */
export function childSpec(owner: string, config: ModuleConfig, field: string): ModuleSpec {
  const v = config[field];
  if (v == null || typeof v !== 'object' || Array.isArray(v) || typeof (v as { kind?: unknown }).kind !== 'string') {
    throw new MoeConfigError('invalid_spec', owner, `${owner}: config.${field} must be a module spec {kind, config}; got ${JSON.stringify(v)}`, field);
  }
  return v as unknown as ModuleSpec;
}
