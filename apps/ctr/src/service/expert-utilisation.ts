import type { Heatmap } from '@moe/service';
import type { CtrArtifact } from '../artifact/model-artifact.js';
import type { RawRow } from '../data/raw-row.js';
import { indicesWhere } from '../features/encoded-batch.js';
import { predict } from '../train/predict.js';

/**
 * Expert/gate utilisation of a model on held-out rows, as one heatmap: for gated models (MMoE, PLE, HoME)
 * tasks × experts of mean gate weight; for routed models (AdaptDHM) domains × clusters of the share of each
 * domain's rows sent to each cluster tower. Undefined for models with neither (Shared-Bottom, STAR…).
 */
export async function expertUtilisation(artifact: CtrArtifact, rows: readonly RawRow[]): Promise<Omit<Heatmap, 'title'> | undefined> {
  if (rows.length === 0) return undefined;
  const { processor, model } = artifact;
  const batch = processor.transform(rows);
  const out = await predict(model, batch, { diagnostics: true });
  if (out.routes) {
    const groups = Math.max(model.config.kind === 'adaptdhm' ? model.config.clusters : 1, ...Array.from(out.routes, (r) => r + 1));
    const domains = processor.domains.map((_, d) => indicesWhere(batch.size, (i) => batch.domain[i] === d));
    const present = processor.domains.flatMap((name, d) => (domains[d].length ? [{ name, idx: domains[d] }] : []));
    return {
      rowLabels: present.map((p) => p.name),
      columnLabels: Array.from({ length: groups }, (_, g) => `cluster ${g}`),
      values: present.map(({ idx }) => {
        const share = new Array<number>(groups).fill(0);
        for (const i of idx) share[out.routes![i]] += 1 / idx.length;
        return share;
      }),
    };
  }
  const gates = Object.keys(out.diagnostics).filter((k) => k.startsWith('gate/')).sort();
  if (gates.length === 0) return undefined;
  const width = Math.max(...gates.map((k) => out.diagnostics[k].length));
  return {
    rowLabels: gates.map((k) => k.slice('gate/'.length)),
    columnLabels: Array.from({ length: width }, (_, e) => `expert ${e}`),
    values: gates.map((k) => Array.from({ length: width }, (_, e) => out.diagnostics[k][e] ?? 0)),
  };
}

