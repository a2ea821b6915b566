import type { RequestHandler } from 'express';

/**
 * Counts in-flight requests so shutdown can wait for them. While draining, answers carry
 * `Connection: close` so keep-alive clients move to another instance instead of reusing this one.
 */
export class InFlightTracker {
  private count = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  get inFlight(): number {
    return this.count;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  middleware(): RequestHandler {
    return (_req, res, next) => {
      this.count++;
      if (this.draining) res.setHeader('Connection', 'close');
      let done = false;
      res.on('close', () => {
        if (done) return;
        done = true;
        this.count--;
        if (this.count === 0) for (const w of this.waiters.splice(0)) w();
      });
      next();
    };
  }

  /** Starts draining; resolves true when no request is in flight, false if `timeoutMs` passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.count === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
