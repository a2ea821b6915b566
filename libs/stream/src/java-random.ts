/**
 * Bit-exact port of java.util.Random (48-bit LCG, Java SE API definition), so that MOA's stream generators
 * produce the same instances here as in Java. The 48-bit state is kept as one double (< 2^53, exact) and the
 * multiply is split into 24-bit limbs so that no intermediate exceeds 2^53.
 */
const MULT_LO = 0xece66d; // low 24 bits of 0x5DEECE66D
const MULT_HI = 0x5de; // bits 24..35
const TWO24 = 0x1000000;
const TWO48 = TWO24 * TWO24;
const SEED_SCRAMBLE_LO = 0xece66d;
const SEED_SCRAMBLE_HI = 0x5de;

export interface JavaRandomState {
  hi: number;
  lo: number;
  nextNextGaussian: number;
  haveNextNextGaussian: boolean;
}

export class JavaRandom {
  private hi = 0; // upper 24 bits of the state
  private lo = 0; // lower 24 bits
  private nextNextGaussian = 0;
  private haveNextNextGaussian = false;

  constructor(seed: number | bigint = 1) {
    this.setSeed(seed);
  }

  /** `seed = (s ^ 0x5DEECE66D) & (2^48 − 1)`; accepts any Java long (as number ≤ 2^53 or bigint). */
  setSeed(seed: number | bigint): void {
    const s = BigInt.asUintN(48, BigInt(seed));
    const lo = Number(s & 0xffffffn);
    const hi = Number(s >> 24n);
    this.lo = (lo ^ SEED_SCRAMBLE_LO) >>> 0;
    this.hi = (hi ^ SEED_SCRAMBLE_HI) >>> 0;
    this.haveNextNextGaussian = false;
  }

  /** Java's protected `next(bits)`: advances the LCG and returns the top `bits` bits as a signed int32. */
  next(bits: number): number {
    // (hi·2^24 + lo)·(M_hi·2^24 + M_lo) + 0xB mod 2^48, in 24-bit limbs: every product stays below 2^53.
    const p = this.lo * MULT_LO + 0xb;
    const carry = Math.floor(p / TWO24);
    const newLo = p - carry * TWO24;
    this.hi = (this.hi * MULT_LO + this.lo * MULT_HI + carry) % TWO24;
    this.lo = newLo;
    return Math.floor((this.hi * TWO24 + this.lo) / 2 ** (48 - bits)) | 0;
  }

  nextInt(bound?: number): number {
    if (bound === undefined) return this.next(32);
    if (!(bound > 0) || !Number.isInteger(bound) || bound > 0x7fffffff) {
      throw new RangeError(`JavaRandom.nextInt: bound must be a positive int32, got ${bound}`);
    }
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor((bound * r) / 2147483648); // exact: bound is a power of two
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }

  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) * 1.1102230246251565e-16; // 2^27, 2^-53
  }

  nextBoolean(): boolean {
    return this.next(1) !== 0;
  }

  nextGaussian(): number {
    if (this.haveNextNextGaussian) {
      this.haveNextNextGaussian = false;
      return this.nextNextGaussian;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.nextDouble() - 1;
      v2 = 2 * this.nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const multiplier = Math.sqrt((-2 * Math.log(s)) / s);
    this.nextNextGaussian = v2 * multiplier;
    this.haveNextNextGaussian = true;
    return v1 * multiplier;
  }

  /** The state, for deterministic snapshots. */
  getState(): JavaRandomState {
    return { hi: this.hi, lo: this.lo, nextNextGaussian: this.nextNextGaussian, haveNextNextGaussian: this.haveNextNextGaussian };
  }

  static fromState(state: JavaRandomState): JavaRandom {
    const r = new JavaRandom(0);
    r.hi = state.hi;
    r.lo = state.lo;
    r.nextNextGaussian = state.nextNextGaussian;
    r.haveNextNextGaussian = state.haveNextNextGaussian;
    return r;
  }
}

export const JAVA_RANDOM_MODULUS = TWO48;
