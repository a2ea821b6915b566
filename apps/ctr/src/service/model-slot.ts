import type { CtrArtifact } from '../artifact/model-artifact.js';
import { PlattCalibration, plattCalibrationStateSchema } from './platt-calibration.js';

/** One loaded model version as served. */
export interface ServedModel {
  artifact: CtrArtifact;
  /** Label shown to clients: `v<registry id>` or a label for models loaded from a path. */
  version: string;
  /** Registry id of the version (absent for a model loaded from a path). */
  versionId?: number;
  /** Per-domain recalibration saved with the artefact (by the online worker), else the identity. */
  calibration: PlattCalibration;
}

interface Entry {
  served: ServedModel;
  leases: number;
  retired: boolean;
  disposed: () => void;
}

/** The calibration stored in an artefact's metadata, when it matches the artefact's domains and tasks. */
export function artifactCalibration(artifact: CtrArtifact): PlattCalibration {
  const domains = artifact.processor.domains;
  const tasks = artifact.processor.layout.tasks.map((t) => t.name);
  const stored = plattCalibrationStateSchema.safeParse(artifact.metadata.calibration);
  if (stored.success && stored.data.domains.join('\u0000') === domains.join('\u0000') && stored.data.tasks.join('\u0000') === tasks.join('\u0000')) {
    return PlattCalibration.fromJSON(stored.data);
  }
  return new PlattCalibration(domains, tasks);
}

/**
 * Hot-swappable model holder. A request leases the current model for its whole duration; `swap` installs a
 * new version for every later request at once, and the old one is disposed only when its last lease is
 * released — so a swap never fails or drops an in-flight request, and never frees tensors under it.
 */
export class ModelSlot {
  private entry: Entry | undefined;

  get current(): ServedModel | undefined {
    return this.entry?.served;
  }

  /** Leases the current model; call `release` when done (in a finally). */
  lease(): { served: ServedModel; release: () => void } | undefined {
    const entry = this.entry;
    if (!entry) return undefined;
    entry.leases++;
    let released = false;
    return {
      served: entry.served,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) entry.disposed();
      },
    };
  }

  /**
   * Serves `artifact` from now on. Resolves `retired` once the previous model's last in-flight request
   * finished and its tensors were disposed (immediately when none was in flight); `draining` is how many
   * requests were still running on it at the swap.
   */
  swap(artifact: CtrArtifact, version: string, versionId?: number): { served: ServedModel; retired: Promise<void>; draining: number } {
    const served: ServedModel = { artifact, version, ...(versionId !== undefined ? { versionId } : {}), calibration: artifactCalibration(artifact) };
    const old = this.entry;
    this.entry = this.newEntry(served);
    return { served, draining: old?.leases ?? 0, retired: old ? this.retire(old) : Promise.resolve() };
  }

  /** Stops serving; the model is disposed once in-flight requests finished. */
  dispose(): Promise<void> {
    const old = this.entry;
    this.entry = undefined;
    return old ? this.retire(old) : Promise.resolve();
  }

  private newEntry(served: ServedModel): Entry {
    return { served, leases: 0, retired: false, disposed: () => {} };
  }

  private retire(entry: Entry): Promise<void> {
    return new Promise<void>((resolve) => {
      entry.retired = true;
      entry.disposed = () => {
        entry.served.artifact.model.dispose();
        resolve();
      };
      if (entry.leases === 0) entry.disposed();
    });
  }
}
