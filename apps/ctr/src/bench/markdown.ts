/** Markdown helpers of the CTR bench reports (summarize.ts, compare-ref.ts). */

/** A Markdown table whose columns are the keys of the first row. */
export function markdownTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '_no rows_';
  const keys = Object.keys(rows[0]);
  return [`| ${keys.join(' | ')} |`, `| ${keys.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${keys.map((k) => String(r[k])).join(' | ')} |`)].join('\n');
}

/** `x` to `digits` decimals, 'n/a' when it is not finite. */
export const fixed = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** `x` with an explicit sign (+0.0050, −0.0020), 'n/a' when it is not finite. */
export const signed = (x: number, digits = 4) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}` : 'n/a');
