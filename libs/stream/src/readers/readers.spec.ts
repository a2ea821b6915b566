import { describe, expect, it } from 'vitest';
import { readArff } from './arff-reader.js';
import { readCsv } from './csv-reader.js';
import { ParseError } from './lines.js';

const ARFF = `% a comment
@relation 'tiny stream'
@attribute 'day of week' {mon,'tue day',wed}
@attribute price numeric
@ATTRIBUTE demand REAL
@attribute class {UP,DOWN}

@data
mon,0.5,1e-3,UP
'tue day',?,2,DOWN
% trailing comment
wed , 1.25 , 3 , UP
`;

async function collect<T>(g: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of g) out.push(v);
  return out;
}

/** Feeds text in awkward chunk sizes to exercise line reassembly. */
function* chunks(text: string, size = 7): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('readArff', () => {
  it('turns the header into a schema and rows into instances (missing = NaN)', async () => {
    const { schema, instances } = await readArff(chunks(ARFF));
    expect(schema.relation).toBe('tiny stream');
    expect(schema.attributes).toEqual([
      { name: 'day of week', kind: 'nominal', values: ['mon', 'tue day', 'wed'] },
      { name: 'price', kind: 'numeric' },
      { name: 'demand', kind: 'numeric' },
    ]);
    expect(schema.classAttribute.values).toEqual(['UP', 'DOWN']);
    const rows = await collect(instances);
    expect(rows).toHaveLength(3);
    expect(Array.from(rows[0].x)).toEqual([0, 0.5, 0.001]);
    expect(rows[1].x[1]).toBeNaN();
    expect([rows[1].x[0], rows[1].y]).toEqual([1, 1]);
    expect(Array.from(rows[2].x)).toEqual([2, 1.25, 3]);
  });

  it('names line and column of a malformed value', async () => {
    const { instances } = await readArff(chunks(ARFF.replace('wed , 1.25', 'wed , abc')));
    await expect(collect(instances)).rejects.toThrow(/line 12, column 7: attribute 'price' is numeric, got 'abc'/);
    const bad = await readArff(ARFF.replace('mon,0.5,1e-3,UP', 'mon,0.5,UP'));
    await expect(collect(bad.instances)).rejects.toThrow(/line 9, column 9: expected 4 values, got 3/);
    const unknown = await readArff(ARFF.replace('mon,0.5,1e-3,UP', 'fri,0.5,1,UP'));
    await expect(collect(unknown.instances)).rejects.toBeInstanceOf(ParseError);
  });

  it('rejects unsupported types and a numeric class', async () => {
    await expect(readArff('@relation r\n@attribute s string\n@attribute c {a,b}\n@data\n')).rejects.toThrow(/line 2, column 1: attribute 's': type 'string' is not supported/);
    await expect(readArff('@relation r\n@attribute a numeric\n@attribute c numeric\n@data\n')).rejects.toThrow(/must be nominal/);
  });
});

describe('readCsv', () => {
  it('infers numeric and nominal columns, the class is the last column', async () => {
    const { schema, instances } = await readCsv(chunks('a,b,label\n1,x,yes\n2.5,y,no\n?,x,yes\n'));
    expect(schema.attributes).toEqual([
      { name: 'a', kind: 'numeric' },
      { name: 'b', kind: 'nominal', values: ['x', 'y'] },
    ]);
    expect(schema.classAttribute.values).toEqual(['yes', 'no']);
    const rows = await collect(instances);
    expect(rows[2].x[0]).toBeNaN();
    expect(rows.map((r) => r.y)).toEqual([0, 1, 0]);
  });

  it('uses declared types and reports unknown values past the inference window with line and column', async () => {
    const { instances } = await readCsv('a,c\n1,p\n2,q\n3,r\n', { inferRows: 1, attributes: { c: { kind: 'nominal', values: ['p', 'q'] } } });
    await expect(collect(instances)).rejects.toThrow(/line 4, column 3: attribute 'c' expects one of \{p,q\}, got 'r'/);
  });
});
