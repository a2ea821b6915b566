import { describe, expect, it } from 'vitest';
import { JoinBuffer } from './join-buffer.js';

describe('JoinBuffer (event-time join window)', () => {
  const row = { domain: 'd0' };

  it('labels an on-time click positive, a late click and no click negative, and counts the late one', () => {
    const b = new JoinBuffer(100);
    expect(b.addImpression('onTime', 0, row)).toBe(true);
    expect(b.addImpression('late', 10, row)).toBe(true);
    expect(b.addImpression('none', 20, row)).toBe(true);
    expect(b.advance(20)).toEqual([]);
    expect(b.addClick('onTime', 100, 'click')).toBe('joined'); // exactly at the window's end still joins
    expect(b.addClick('onTime', 90, 'click')).toBe('duplicate');
    expect(b.addClick('late', 111, 'click')).toBe('late'); // 101 ms after its impression
    expect(b.advance(111).map((i) => [i.id, i.positives])).toEqual([['onTime', ['click']], ['late', []]]);
    expect(b.size).toBe(1);
    expect(b.advance(121).map((i) => [i.id, i.positives])).toEqual([['none', []]]);
  });

  it('counts a click after its impression was labelled as late, and one for an unseen impression as unmatched', () => {
    const b = new JoinBuffer(50);
    b.addImpression('a', 0, row);
    b.advance(51);
    expect(b.addClick('a', 52, 'click')).toBe('late');
    expect(b.addClick('ghost', 52, 'click')).toBe('unmatched');
    expect(b.addImpression('a', 60, row)).toBe(false); // already labelled: a redelivered duplicate
    // Closed ids are forgotten two windows later, bounding memory.
    b.advance(1000);
    expect(b.addClick('a', 1000, 'click')).toBe('unmatched');
  });

  it('keeps per-task positives and survives a JSON round trip', () => {
    const b = new JoinBuffer(100);
    b.addImpression('x', 0, row);
    b.addClick('x', 5, 'click');
    b.addClick('x', 6, 'conversion');
    b.advance(6);
    const copy = JoinBuffer.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(copy.currentWatermark).toBe(6);
    expect(copy.addClick('x', 7, 'click')).toBe('duplicate');
    expect(copy.advance(200).map((i) => i.positives)).toEqual([['click', 'conversion']]);
    expect(() => new JoinBuffer(-1)).toThrow(/windowMs expected a finite number ≥ 0, got -1/);
  });
});
