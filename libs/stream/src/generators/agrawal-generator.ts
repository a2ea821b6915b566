import { JavaRandom } from '../java-random.js';
import { nominalAttribute, type Instance, type Schema } from '../schema.js';
import type { RestartableStream } from './instance-stream.js';

export interface AgrawalOptions {
  /** MOA `-f`, 1..10 (default 1). */
  function?: number;
  /** MOA `-i` (default 1). */
  instanceRandomSeed?: number;
  /** MOA `-p` (default 0.05). */
  perturbFraction?: number;
  /** MOA `-b` (default false). */
  balanceClasses?: boolean;
}

interface Person {
  salary: number;
  commission: number;
  age: number;
  elevel: number;
  zipcode: number;
  hvalue: number;
  hyears: number;
  loan: number;
}

const within = (v: number, lo: number, hi: number) => v >= lo && v <= hi;

/** MOA's ten functions; each returns class 0 (groupA) when its condition holds. */
const FUNCTIONS: readonly ((p: Person) => boolean)[] = [
  (p) => p.age < 40 || p.age >= 60,
  (p) => (p.age < 40 ? within(p.salary, 50000, 100000) : p.age < 60 ? within(p.salary, 75000, 125000) : within(p.salary, 25000, 75000)),
  (p) => (p.age < 40 ? p.elevel === 0 || p.elevel === 1 : p.age < 60 ? p.elevel >= 1 && p.elevel <= 3 : p.elevel >= 2 && p.elevel <= 4),
  (p) => {
    if (p.age < 40) return p.elevel === 0 || p.elevel === 1 ? within(p.salary, 25000, 75000) : within(p.salary, 50000, 100000);
    if (p.age < 60) return p.elevel >= 1 && p.elevel <= 3 ? within(p.salary, 50000, 100000) : within(p.salary, 75000, 125000);
    return p.elevel >= 2 && p.elevel <= 4 ? within(p.salary, 50000, 100000) : within(p.salary, 25000, 75000);
  },
  (p) => {
    if (p.age < 40) return within(p.salary, 50000, 100000) ? within(p.loan, 100000, 300000) : within(p.loan, 200000, 400000);
    if (p.age < 60) return within(p.salary, 75000, 125000) ? within(p.loan, 200000, 400000) : within(p.loan, 300000, 500000);
    return within(p.salary, 25000, 75000) ? within(p.loan, 300000, 500000) : within(p.loan, 100000, 300000);
  },
  (p) => {
    const total = p.salary + p.commission;
    return p.age < 40 ? within(total, 50000, 100000) : p.age < 60 ? within(total, 75000, 125000) : within(total, 25000, 75000);
  },
  (p) => (2 * (p.salary + p.commission)) / 3 - p.loan / 5 - 20000 > 0,
  (p) => (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel - 20000 > 0,
  (p) => (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel - p.loan / 5 - 10000 > 0,
  (p) => {
    const equity = p.hyears >= 20 ? (p.hvalue * (p.hyears - 20)) / 10 : 0;
    return (2 * (p.salary + p.commission)) / 3 - 5000 * p.elevel + equity / 5 - 10000 > 0;
  },
];

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** MOA `generators.AgrawalGenerator`. */
export class AgrawalGenerator implements RestartableStream {
  readonly schema: Schema = {
    relation: 'AgrawalGenerator',
    attributes: [
      { name: 'salary', kind: 'numeric' },
      { name: 'commission', kind: 'numeric' },
      { name: 'age', kind: 'numeric' },
      nominalAttribute('elevel', range('level', 5)),
      nominalAttribute('car', range('car', 21).slice(1)),
      nominalAttribute('zipcode', range('zipcode', 10).slice(1)),
      { name: 'hvalue', kind: 'numeric' },
      { name: 'hyears', kind: 'numeric' },
      { name: 'loan', kind: 'numeric' },
    ],
    classAttribute: nominalAttribute('class', ['groupA', 'groupB']),
  };
  private random!: JavaRandom;
  private nextClassShouldBeZero = false;
  private readonly fn: (p: Person) => boolean;
  private readonly seed: number;
  private readonly perturb: number;
  private readonly balance: boolean;

  constructor(options: AgrawalOptions = {}) {
    const f = options.function ?? 1;
    if (!Number.isInteger(f) || f < 1 || f > 10) throw new RangeError(`AgrawalGenerator.function: expected an integer 1..10, got ${f}`);
    this.fn = FUNCTIONS[f - 1];
    this.seed = options.instanceRandomSeed ?? 1;
    this.perturb = options.perturbFraction ?? 0.05;
    this.balance = options.balanceClasses ?? false;
    this.restart();
  }

  restart(): void {
    this.random = new JavaRandom(this.seed);
    this.nextClassShouldBeZero = false;
  }

  nextInstance(): Instance {
    const r = this.random;
    let p: Person;
    let car: number;
    let group: number;
    for (;;) {
      const salary = 20000 + 130000 * r.nextDouble();
      const commission = salary >= 75000 ? 0 : 10000 + 65000 * r.nextDouble();
      const age = 20 + r.nextInt(61);
      const elevel = r.nextInt(5);
      car = 1 + r.nextInt(20);
      const zipcode = r.nextInt(9);
      const hvalue = (9 - zipcode) * 100000 * (0.5 + r.nextDouble());
      const hyears = 1 + r.nextInt(30);
      const loan = r.nextDouble() * 500000;
      p = { salary, commission, age, elevel, zipcode, hvalue, hyears, loan };
      group = this.fn(p) ? 0 : 1;
      if (!this.balance) break;
      if ((this.nextClassShouldBeZero && group === 0) || (!this.nextClassShouldBeZero && group === 1)) {
        this.nextClassShouldBeZero = !this.nextClassShouldBeZero;
        break;
      }
    }
    if (this.perturb > 0) {
      p.salary = this.perturbValue(p.salary, 130000, 20000, 150000);
      if (p.commission > 0) p.commission = this.perturbValue(p.commission, 65000, 10000, 75000);
      p.age = Math.round(this.perturbValue(p.age, 60, 20, 80));
      p.hvalue = this.perturbValue(p.hvalue, (9 - p.zipcode) * 100000, 0, 135000);
      p.hyears = Math.round(this.perturbValue(p.hyears, 29, 1, 30));
      p.loan = this.perturbValue(p.loan, 500000, 0, 500000);
    }
    return { x: Float64Array.of(p.salary, p.commission, p.age, p.elevel, car - 1, p.zipcode, p.hvalue, p.hyears, p.loan), y: group };
  }

  private perturbValue(v: number, valueRange: number, min: number, max: number): number {
    const out = v + valueRange * (2 * (this.random.nextDouble() - 0.5)) * this.perturb;
    return out < min ? min : out > max ? max : out;
  }
}
