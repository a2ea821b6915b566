import { describe, expect, it } from 'vitest';
import { SeaGenerator, type Instance } from '@moe/stream';
import { AccuracyDropMonitor } from './accuracy-drop.js';
import { PrequentialSession, type SessionState } from './prequential-session.js';
import { decodeState, encodeState } from './state-codec.js';

/** SEA with every label inverted from `flipAt` on. */
function flipped(n: number, flipAt: number, seed = 2): Instance[] {
  const gen = new SeaGenerator({ function: 1, instanceRandomSeed: seed });
  return Array.from({ length: n }, (_, i) => {
    const { x, y } = gen.nextInstance();
    return { x, y: i >= flipAt ? 1 - y : y };
  });
}

describe('PrequentialSession', () => {
  it("reports the learner's own drift detections (ARF's ADWIN resets) once each, at their positions", () => {
    const s = PrequentialSession.create('arf', new SeaGenerator().schema, { seed: 3, arfSize: 5 });
    const events = [];
    for (const [i, inst] of flipped(4000, 2000).entries()) {
      s.testThenTrain(inst.x, inst.y);
      if (i % 250 === 0) events.push(...s.takeDriftEvents());
    }
    events.push(...s.takeDriftEvents());
    const stats = s.learner.stats();
    expect(stats.driftDetections).toBeGreaterThan(0);
    const adwin = events.filter((e) => e.detector === 'arf-adwin');
    expect(adwin.map((e) => e.position)).toEqual(stats.driftPositions);
    expect(adwin.some((e) => e.position > 2000)).toBe(true);
    expect(events.filter((e) => e.detector === 'accuracy-drop').length).toBeGreaterThan(0);
  });

  it('restores counters, monitor and curve with the learner, and refuses foreign states', () => {
    const data = flipped(1600, 800, 5);
    const a = PrequentialSession.create('driftmoe-task', new SeaGenerator().schema, { seed: 4 });
    for (const inst of data.slice(0, 1000)) a.testThenTrain(inst.x, inst.y);
    a.takeDriftEvents();
    const b = PrequentialSession.restore(decodeState(encodeState(a.getState())) as SessionState);
    expect([b.seen, b.correct, b.predictionHash]).toEqual([a.seen, a.correct, a.predictionHash]);
    for (const inst of data.slice(1000)) expect(b.testThenTrain(inst.x, inst.y)).toBe(a.testThenTrain(inst.x, inst.y));
    expect(b.takeDriftEvents()).toEqual(a.takeDriftEvents());
    expect(b.curve).toEqual(a.curve);
    expect(() => PrequentialSession.restore({ ...a.getState(), format: 'x' } as unknown as SessionState)).toThrow(/state.format: expected 'drift-session\/1'/);
    expect(() => PrequentialSession.restore({ ...a.getState(), method: 'svm' } as unknown as SessionState)).toThrow(/state.method: expected one of/);
    expect(() => PrequentialSession.create('svm', new SeaGenerator().schema)).toThrow(/method: expected one of/);
  });
});

describe('AccuracyDropMonitor', () => {
  it('raises an alarm each time the windowed accuracy falls the threshold below its reference level', () => {
    const m = new AccuracyDropMonitor(100, 0.2);
    const alarms = [];
    for (let i = 0; i < 300; i++) alarms.push(m.add(true));
    for (let i = 0; i < 100; i++) alarms.push(m.add(i % 2 === 0));
    const fired = alarms.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
    // 100 % → 80 % after 20 wrong answers among the last 100 (40 alternating instances), then 80 % → 60 %.
    expect(fired).toEqual([300 + 39, 300 + 79]);
    expect(alarms[339]).toEqual({ from: 1, to: 0.8, window: 100 });
    expect(alarms[379]).toEqual({ from: 0.8, to: 0.6, window: 100 });
    const copy = AccuracyDropMonitor.fromState(JSON.parse(JSON.stringify(m.getState())));
    expect(copy.accuracy).toBe(m.accuracy);
    expect(() => new AccuracyDropMonitor(5)).toThrow(/window: expected an integer ≥ 10, got 5/);
  });
});
