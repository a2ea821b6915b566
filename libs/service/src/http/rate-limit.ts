/** Token-bucket settings: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimitOptions {
  readonly burst: number;
  readonly perSecond: number;
  /** At most this many clients are tracked; the longest-idle are forgotten beyond it. */
  readonly maxClients?: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until one token is available again (0 when allowed). */
  readonly retryAfterSeconds: number;
}

interface Bucket { tokens: number; at: number }

/**
 * One token bucket per client (API key or IP). A Map keeps insertion order, and a client is re-inserted on
 * every request, so the first entries are always the longest idle: trimming from the front bounds memory
 * without a timer.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;

  constructor(private readonly options: RateLimitOptions, private readonly now: () => number = () => performance.now()) {
    if (!(options.burst >= 1) || !(options.perSecond > 0)) {
      throw new RangeError(`TokenBucketLimiter: 'burst' must be >= 1 and 'perSecond' > 0; got burst=${options.burst}, perSecond=${options.perSecond}`);
    }
    this.maxClients = options.maxClients ?? 50_000;
  }

  take(client: string): RateDecision {
    const t = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.options.burst, at: t };
    b.tokens = Math.min(this.options.burst, b.tokens + ((t - b.at) / 1000) * this.options.perSecond);
    b.at = t;
    this.buckets.delete(client);
    this.buckets.set(client, b);
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / this.options.perSecond) };
  }

  get trackedClients(): number {
    return this.buckets.size;
  }
}
