// Learning test (issue 3): on a synthetic mixture-of-regimes regression, an MoE layer (top-2 of 8 FFN
// experts, Switch balance loss on) reaches a lower held-out MSE than a dense FFN with at least as many
// ACTIVE parameters, in the same number of Adam steps, averaged over 3 seeds; and no expert's token share
// exceeds 2/E. Runs on one backend (wasm when listed) to stay well under a minute.
import { testBackends, useBackend } from '@moe/testing';
import { describe, expect, it } from 'vitest';
import { compareMoeWithDense, meanStd } from './regime-comparison.js';

const backend = testBackends().includes('wasm') ? 'wasm' : testBackends()[0];

describe(`MoE learning on a mixture of regimes [${backend}]`, () => {
  it('top-2 of 8 beats a dense FFN with equal active parameters, with balanced experts', async () => {
    await useBackend(backend);
    const r = await compareMoeWithDense({ steps: 250, seeds: [1, 2, 3] });
    const moe = meanStd(r.rows.map((x) => x.moe));
    const dense = meanStd(r.rows.map((x) => x.dense));
    console.log(`[learning] active params: MoE ${r.activeMoe}, dense ${r.activeDense} (hidden ${r.denseHidden}); ${r.options.steps} steps × ${r.options.batch}`);
    for (const x of r.rows) console.log(`[learning] seed ${x.seed}: held-out MSE MoE ${x.moe.toFixed(4)} vs dense ${x.dense.toFixed(4)}, max expert share ${x.maxShare.toFixed(3)}`);
    console.log(`[learning] mean ± std: MoE ${moe.mean.toFixed(4)} ± ${moe.std.toFixed(4)}, dense ${dense.mean.toFixed(4)} ± ${dense.std.toFixed(4)}`);
    expect(r.activeDense).toBeGreaterThanOrEqual(r.activeMoe);
    expect(moe.mean).toBeLessThan(dense.mean);
    for (const x of r.rows) expect(x.maxShare).toBeLessThanOrEqual(2 / r.options.experts);
  }, 120_000);
});
