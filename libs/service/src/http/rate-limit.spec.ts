import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refills at the configured rate per client', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ burst: 2, perSecond: 4 }, () => now);
    expect([limiter.take('a').allowed, limiter.take('a').allowed, limiter.take('a').allowed]).toEqual([true, true, false]);
    expect(limiter.take('b').allowed).toBe(true); // other clients have their own bucket
    expect(limiter.take('a').retryAfterSeconds).toBe(1);
    now = 250; // 0.25 s × 4/s = one token
    expect([limiter.take('a').allowed, limiter.take('a').allowed]).toEqual([true, false]);
    now = 10_000; // never more than the burst
    expect([limiter.take('a').allowed, limiter.take('a').allowed, limiter.take('a').allowed]).toEqual([true, true, false]);
  });

  it('forgets the longest-idle clients beyond maxClients', () => {
    const limiter = new TokenBucketLimiter({ burst: 1, perSecond: 1, maxClients: 2 }, () => 0);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.trackedClients).toBe(2);
    expect(limiter.take('a').allowed).toBe(true); // 'a' was dropped, so it starts with a full bucket again
  });

  it('refuses nonsensical settings, naming them', () => {
    expect(() => new TokenBucketLimiter({ burst: 0, perSecond: 1 })).toThrow(/'burst' must be >= 1 .* got burst=0/);
  });
});
