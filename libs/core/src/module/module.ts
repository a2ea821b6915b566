import * as tf from '@tensorflow/tfjs-core';
import { MoeInputError } from '../errors/moe-error.js';

/** A JSON-serialisable configuration: what `getConfig()` returns and `fromConfig` takes. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A module's JSON configuration (`getConfig()`), enough to rebuild it. */
export type ModuleConfig = { [key: string]: JsonValue };

/**
 * Base of every router, expert bank and layer: owns named variables and child modules, so a whole model
 * can list its trainable variables, export/import weights by stable names (for checkpoints) and dispose
 * itself. Deliberately not a tfjs-layers Layer: MoE forwards return several tensors (output, aux loss,
 * routing statistics) and must run under tf.grads/optimizer.minimize with custom kernels.
 */
export abstract class Module {
  private readonly params = new Map<string, { variable: tf.Variable; trainable: boolean }>();
  private readonly children = new Map<string, Module>();

  /** Stable kind name used by the config registry, e.g. 'TopKRouter'. */
  abstract readonly kind: string;
  abstract getConfig(): ModuleConfig;

  /** Registers a variable owned by this module (the initial tensor is taken over, not copied). */
  protected addParam(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.params.has(name) || this.children.has(name)) throw new Error(`${this.kind}: parameter name '${name}' is already used`);
    const variable = tf.variable(initial, trainable, undefined, initial.dtype);
    initial.dispose();
    this.params.set(name, { variable, trainable });
    return variable;
  }

  protected addChild<M extends Module>(name: string, child: M): M {
    if (this.params.has(name) || this.children.has(name)) throw new Error(`${this.kind}: child name '${name}' is already used`);
    this.children.set(name, child);
    return child;
  }

  /** Every variable of this module and its children, keyed by a dotted path ('experts.w1'). */
  namedVariables(prefix = ''): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, p] of this.params) out.set(prefix + name, p.variable);
    for (const [name, child] of this.children) for (const [k, v] of child.namedVariables(`${prefix}${name}.`)) out.set(k, v);
    return out;
  }

  /** Variables an optimizer should update (frozen bases and non-trainable buffers excluded). */
  trainableVariables(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const p of this.params.values()) if (p.trainable) out.push(p.variable);
    for (const child of this.children.values()) out.push(...child.trainableVariables());
    return out;
  }

  /** Number of scalar parameters (all, or only trainable ones). */
  countParams(trainableOnly = false): number {
    let n = 0;
    for (const p of this.params.values()) if (!trainableOnly || p.trainable) n += p.variable.size;
    for (const child of this.children.values()) n += child.countParams(trainableOnly);
    return n;
  }

  /** Copies of every weight by name (the caller owns and disposes them). */
  getWeights(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [k, v] of this.namedVariables()) out[k] = tf.clone(v);
    return out;
  }

  /** Assigns weights by name; every variable must be present with its exact shape and dtype. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    const vars = this.namedVariables();
    for (const [name, v] of vars) {
      const w = weights[name];
      if (!w) throw new MoeInputError('invalid_weights', `${this.kind}.setWeights`, `${this.kind}.setWeights: missing weight '${name}' (expected shape [${v.shape}])`, name);
      if (!tf.util.arraysEqual(w.shape, v.shape) || w.dtype !== v.dtype) {
        throw new MoeInputError('invalid_weights', `${this.kind}.setWeights`, `${this.kind}.setWeights: weight '${name}' expected ${v.dtype}[${v.shape}], got ${w.dtype}[${w.shape}]`, name);
      }
    }
    const extra = Object.keys(weights).filter((k) => !vars.has(k));
    if (extra.length) throw new MoeInputError('invalid_weights', `${this.kind}.setWeights`, `${this.kind}.setWeights: unknown weight(s) ${extra.join(', ')}`, extra[0]);
    // Assigning a variable to itself would release its own data first: skip those (setWeights(namedVariables())).
    for (const [name, v] of vars) if (weights[name] !== v) v.assign(weights[name]);
  }

  dispose(): void {
    for (const p of this.params.values()) p.variable.dispose();
    for (const child of this.children.values()) child.dispose();
    this.params.clear();
    this.children.clear();
  }
}
