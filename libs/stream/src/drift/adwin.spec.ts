import { describe, expect, it } from 'vitest';
import { JavaRandom } from '../java-random.js';
import { Adwin, AdwinChangeDetector } from './adwin.js';

function bernoulli(r: JavaRandom, p: number): number {
  return r.nextDouble() < p ? 1 : 0;
}

describe('ADWIN', () => {
  it('keeps a growing window on a stationary stream and estimates its mean', () => {
    const a = new Adwin();
    const r = new JavaRandom(1);
    let changes = 0;
    for (let i = 0; i < 3000; i++) if (a.update(bernoulli(r, 0.2))) changes++;
    expect(changes).toBe(0);
    expect(a.windowWidth).toBe(3000);
    expect(a.estimation).toBeGreaterThan(0.17);
    expect(a.estimation).toBeLessThan(0.23);
  });

  it('detects an abrupt change soon after it and drops the old part of the window', () => {
    const a = new Adwin();
    const r = new JavaRandom(2);
    for (let i = 0; i < 2000; i++) a.update(bernoulli(r, 0.1));
    let detectedAt = -1;
    for (let i = 0; i < 1000 && detectedAt < 0; i++) if (a.update(bernoulli(r, 0.7))) detectedAt = i;
    expect(detectedAt).toBeGreaterThan(0);
    expect(detectedAt).toBeLessThan(200);
    expect(a.windowWidth).toBeLessThan(1500);
    expect(a.detections).toBe(1);
  });

  it('as a change detector reports only increases of the error', () => {
    const d = new AdwinChangeDetector(0.002);
    const r = new JavaRandom(3);
    for (let i = 0; i < 2000; i++) d.input(bernoulli(r, 0.6));
    let up = 0;
    for (let i = 0; i < 1500; i++) if (d.input(bernoulli(r, 0.05))) up++;
    expect(up).toBe(0);
    expect(d.adwin.detections).toBeGreaterThan(0);
  });

  it('round-trips its state and rejects a bad delta', () => {
    const a = new Adwin();
    for (let i = 0; i < 500; i++) a.update(i % 3 === 0 ? 1 : 0);
    const b = Adwin.fromState(JSON.parse(JSON.stringify(a.getState())));
    for (let i = 0; i < 500; i++) expect(b.update(i % 5 === 0 ? 1 : 0)).toBe(a.update(i % 5 === 0 ? 1 : 0));
    expect(b.estimation).toBe(a.estimation);
    expect(() => new Adwin({ delta: 2 })).toThrow(/Adwin.delta: expected in \(0, 1\), got 2/);
  });
});
