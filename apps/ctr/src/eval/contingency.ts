/** Counts table[a][b] of two label arrays with `na` and `nb` distinct values. */
export function contingency(a: ArrayLike<number>, b: ArrayLike<number>, na: number, nb: number): number[][] {
  if (a.length !== b.length) throw new Error(`contingency: label arrays differ in length (${a.length} vs ${b.length})`);
  const t = Array.from({ length: na }, () => new Array<number>(nb).fill(0));
  for (let i = 0; i < a.length; i++) t[a[i]][b[i]]++;
  return t;
}

function entropy(counts: number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/** Mutual information I(a; b) in nats, and NMI = I / sqrt(H(a)·H(b)) (1 when both are constant). */
export function mutualInformation(table: number[][]): { mi: number; nmi: number; ha: number; hb: number } {
  const n = table.reduce((s, row) => s + row.reduce((x, y) => x + y, 0), 0);
  if (n === 0) return { mi: 0, nmi: 0, ha: 0, hb: 0 };
  const rowSums = table.map((r) => r.reduce((x, y) => x + y, 0));
  const colSums = table[0].map((_, j) => table.reduce((s, r) => s + r[j], 0));
  let mi = 0;
  for (let i = 0; i < table.length; i++) {
    for (let j = 0; j < table[i].length; j++) {
      const c = table[i][j];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (rowSums[i] * colSums[j]));
    }
  }
  const ha = entropy(rowSums, n);
  const hb = entropy(colSums, n);
  const nmi = ha > 0 && hb > 0 ? mi / Math.sqrt(ha * hb) : ha === 0 && hb === 0 ? 1 : 0;
  return { mi, nmi, ha, hb };
}
