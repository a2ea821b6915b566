import { describe, expect, it } from 'vitest';
import { parseVersionRef } from './model-versions.js';

describe('parseVersionRef', () => {
  it('reads a registry id or <name>@<version>, and refuses numbers no 32-bit registry column can hold', () => {
    expect(parseVersionRef('12')).toEqual({ id: 12 });
    expect(parseVersionRef('mmoe@3')).toEqual({ name: 'mmoe', version: 3 });
    expect(parseVersionRef('2147483647')).toEqual({ id: 2147483647 });
    expect(parseVersionRef('2147483648')).toBeUndefined();
    expect(parseVersionRef('mmoe@9999999999')).toBeUndefined();
    expect(parseVersionRef('0')).toBeUndefined();
    expect(parseVersionRef('../x')).toBeUndefined();
  });
});
