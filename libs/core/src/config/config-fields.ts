import { MoeConfigError } from '../errors/moe-error.js';
import type { JsonValue, ModuleConfig } from '../module/module.js';

/** The keys of `C` a field list leaves out (never when the list is complete). */
type MissingFields<C, F extends readonly string[]> = Exclude<keyof C & string, F[number]>;

/**
 * A typed field list for {@link checkConfigFields}: `configFields<DenseFfnConfig>()(['inputDim', …])` compiles
 * only when the list names exactly the keys of the config interface (a key the interface lacks, or one of its
 * keys left out, is a type error naming it), so the runtime check and the type cannot drift apart.
 */
export function configFields<C extends object>() {
  return <const F extends readonly (keyof C & string)[]>(
    fields: F & ([MissingFields<C, F>] extends [never] ? unknown : { 'config fields left out': MissingFields<C, F> }),
  ): readonly string[] => fields;
}

/**
 * Rejects keys a config does not know, so a misspelt option is an error rather than silently ignored.
 * Throws a {@link MoeConfigError} `unknown_field` whose `field` is the first unknown key (prefixed by `path`
 * for nested configs) and whose message lists every unknown key and the accepted ones.
 */
export function checkConfigFields(owner: string, config: object, known: readonly string[], path = ''): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new MoeConfigError('unknown_field', owner, `${owner}: unknown config field(s) ${unknown.map((k) => `'${path}${k}'`).join(', ')}; expected some of ${known.join(', ')}`, path + unknown[0]);
  }
}

function isPlainObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v != null && typeof v === 'object' && !Array.isArray(v);
}

function isSpec(v: { [key: string]: JsonValue }): boolean {
  return typeof v.kind === 'string' && isPlainObject(v.config);
}

/**
 * For modules registered without a field list: the built module's own `getConfig()` is the schema. Every
 * key of the given config must appear in what the module reports (recursively through plain nested objects;
 * nested module specs were checked when their own module was built). Throws like {@link checkConfigFields}.
 */
export function checkFieldsAgainstDescription(owner: string, given: ModuleConfig, described: ModuleConfig, path = ''): void {
  checkConfigFields(owner, given, Object.keys(described), path);
  for (const [k, v] of Object.entries(given)) {
    const d = described[k];
    if (isPlainObject(v) && isPlainObject(d) && !isSpec(v)) checkFieldsAgainstDescription(owner, v, d, `${path}${k}.`);
  }
}
