import { describe, expect, it } from 'vitest';
import { paperStream } from './paper-streams.js';
import { knobsTag, parseStreamKnobs } from './stream-knobs.js';

const firstInstances = (s: ReturnType<typeof paperStream>, n: number) => Array.from({ length: n }, () => Array.from(s.nextInstance().x).concat(s.nextInstance().y));

describe('stream knobs (held-out generator settings)', () => {
  it('parses name=value lists and refuses unknown knobs and out-of-range values, naming them', () => {
    expect(parseStreamKnobs('noise=20, streamSeedOffset=1000,speed=5e-4')).toEqual({ noise: 20, streamSeedOffset: 1000, speed: 5e-4 });
    expect(parseStreamKnobs(undefined)).toEqual({});
    expect(() => parseStreamKnobs('nosie=20')).toThrow(/unknown knob 'nosie'; expected one of streamSeedOffset, noise/);
    expect(() => parseStreamKnobs('noise=150')).toThrow(/noise expected an integer in \[0, 100\], got '150'/);
    expect(() => parseStreamKnobs('noise')).toThrow(/expected name=value pairs/);
    expect(knobsTag({ speed: 5e-4, noise: 20 })).toBe('noise=20,speed=0.0005');
    expect(knobsTag({})).toBe('');
  });

  it('leaves the paper streams unchanged without knobs and changes them with each knob', () => {
    for (const name of ['sea_a', 'led_g', 'rbf_f'] as const) {
      const paper = firstInstances(paperStream(name, 3), 50);
      expect(firstInstances(paperStream(name, 3, {}), 50)).toEqual(paper);
      expect(firstInstances(paperStream(name, 3, { streamSeedOffset: 1000 }), 50)).not.toEqual(paper);
      // The offset moves the stream seed, so seed 3 + 1000 is the paper's seed-1003 stream.
      expect(firstInstances(paperStream(name, 3, { streamSeedOffset: 1000 }), 50)).toEqual(firstInstances(paperStream(name, 1003), 50));
    }
    expect(firstInstances(paperStream('sea_a', 3, { noise: 40 }), 200)).not.toEqual(firstInstances(paperStream('sea_a', 3), 200));
    expect(firstInstances(paperStream('rbf_m', 3, { centroids: 7 }), 50)).not.toEqual(firstInstances(paperStream('rbf_m', 3), 50));
  });
});
