import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RegisteredApp } from './apps.js';
import { loadApps } from './load-apps.js';

const log = pino({ level: 'silent' });
const entry = (name: string, load: RegisteredApp['load']): RegisteredApp => ({ name, title: name.toUpperCase(), packageName: `@moe/${name}`, load });
const missing = (spec: string) => Object.assign(new Error(`Cannot find package '${spec}' imported from /x.ts`), { code: 'ERR_MODULE_NOT_FOUND' });

describe('loadApps', () => {
  it('tells apps that are not there yet from apps that are broken', async () => {
    const module = { name: 'good', title: 'Good', routes: [] };
    const out = await loadApps([
      entry('good', async () => ({ appModule: module })),
      entry('absent', async () => { throw missing('@moe/absent'); }),
      entry('pending', async () => ({ somethingElse: 1 })),
      entry('broken', async () => { throw new TypeError('x is not a function'); }),
      entry('deps', async () => { throw missing('left-pad'); }), // the package exists but imports something missing
      entry('wrong', async () => ({ appModule: { name: 'other', title: 'x', routes: [] } })),
    ], log);
    expect(out.map((a) => [a.name, a.state])).toEqual([
      ['good', 'available'], ['absent', 'unavailable'], ['pending', 'unavailable'], ['broken', 'failed'], ['deps', 'failed'], ['wrong', 'failed'],
    ]);
    expect(out[0]).toMatchObject({ module });
    expect(out[2]).toMatchObject({ reason: '@moe/pending does not export appModule yet' });
    expect(out[3]).toMatchObject({ reason: 'x is not a function' });
  });

  it('fails start-up on a broken app in strict mode', async () => {
    await expect(loadApps([entry('broken', async () => { throw new SyntaxError('Unexpected token'); })], log, { strict: true })).rejects.toThrow('Unexpected token');
  });
});
