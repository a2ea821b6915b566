import { typesOf, type JsonSchema } from './json-schema.js';

/** A JSON text fragment standing in for a value; `raw` fragments are not valid JSON values on their own. */
export interface Replacement {
  readonly label: string;
  /** Text to splice into the JSON body in place of the value. */
  readonly json: string;
}

/** Names that try to escape a directory, inject, or break URL/file handling. */
export const TRAVERSAL_NAMES = [
  '..', '.', '../../etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '....//....//etc/passwd',
  '/etc/passwd', 'a/../../b', 'model\u0000.json', 'C:\\boot.ini', '~/.ssh/id_rsa', "x' OR '1'='1", '<script>alert(1)</script>',
  'a'.repeat(300), ' leading-space', 'ünïcödé', '${jndi:ldap://x}', '.hidden', '-rf',
];

const UNSAFE_NUMBERS: Replacement[] = [
  { label: 'NaN literal', json: 'NaN' },
  { label: 'Infinity literal', json: 'Infinity' },
  { label: '-Infinity literal', json: '-Infinity' },
  { label: '1e400 (parses to Infinity)', json: '1e400' },
  { label: '-1e400 (parses to -Infinity)', json: '-1e400' },
];

/**
 * Values the schema is certain to refuse: wrong JSON types, out-of-range numbers, non-integers for
 * integers, strings its pattern rejects. Only certain refusals are listed, so any 2xx is a real finding.
 */
export function invalidReplacements(s: JsonSchema): Replacement[] {
  const types = typesOf(s);
  if (types.length === 0) return [];
  const out: Replacement[] = [];
  const add = (label: string, v: unknown) => out.push({ label, json: JSON.stringify(v) });
  const isNum = types.includes('number') || types.includes('integer');
  if (!types.includes('string')) for (const v of ['x', '1', 'NaN', 'Infinity', '']) add(`string ${JSON.stringify(v)}`, v);
  if (!isNum) for (const v of [0, -1, 1.5, 1e308]) add(`number ${v}`, v);
  if (!types.includes('boolean')) add('boolean', true);
  if (!types.includes('null')) add('null', null);
  if (!types.includes('array')) add('array', [1]);
  if (!types.includes('object')) add('object', { a: 1 });
  if (isNum) {
    out.push(...UNSAFE_NUMBERS);
    if (s.minimum !== undefined && s.minimum > -1e15) add(`below minimum ${s.minimum}`, s.minimum - 1);
    if (s.exclusiveMinimum !== undefined) add(`at exclusive minimum ${s.exclusiveMinimum}`, s.exclusiveMinimum);
    if (s.maximum !== undefined && s.maximum < 1e15) add(`above maximum ${s.maximum}`, s.maximum + 1);
    if (types.includes('integer') && !types.includes('number')) add('non-integer 2.5', 2.5);
  }
  if (types.includes('string')) {
    if (s.pattern !== undefined) {
      const re = new RegExp(s.pattern, 'u');
      for (const name of TRAVERSAL_NAMES) if (!re.test(name)) add(`pattern-violating ${JSON.stringify(name.slice(0, 24))}`, name);
    }
    if (s.maxLength !== undefined) add(`longer than maxLength ${s.maxLength}`, 'x'.repeat(s.maxLength + 1));
    if (s.minLength !== undefined && s.minLength > 0) add(`shorter than minLength ${s.minLength}`, '');
    if (s.enum !== undefined) add('not in enum', '__not_an_enum_member__');
  }
  if (types.includes('array')) {
    if (s.minItems !== undefined && s.minItems > 0) add(`fewer than minItems ${s.minItems}`, []);
  }
  return out;
}

/** Query/path text values certain to fail a numeric (or integer) parameter. */
export function invalidNumericText(s: JsonSchema): string[] {
  const out = ['abc', 'NaN', 'Infinity', '-Infinity', '1e400', '12abc'];
  if (typesOf(s).includes('integer')) out.push('2.5');
  if (s.minimum !== undefined && s.minimum > -1e15) out.push(String(s.minimum - 1));
  if (s.maximum !== undefined && s.maximum < 1e15) out.push(String(s.maximum + 1));
  return out;
}
