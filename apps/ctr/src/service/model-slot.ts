import type { CtrArtifact } from '../artifact/model-artifact.js';
import { DomainCalibration } from './domain-calibration.js';

/** One loaded model version as served. */
export interface ServedModel {
  artifact: CtrArtifact;
  /** Registry id (or a label for models loaded from a path). */
  version: string;
  calibration: DomainCalibration;
}

interface Entry {
  served: ServedModel;
  leases: number;
  retired: boolean;
}

/**
 * Hot-swappable model holder. A request leases the current model for its whole duration; `swap` installs a
 * new version for every later request at once, and the old one is disposed only when its last lease is
 * released — so a swap never fails or drops an in-flight request.
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
        if (entry.retired && entry.leases === 0) entry.served.artifact.model.dispose();
      },
    };
  }

  swap(artifact: CtrArtifact, version: string): ServedModel {
    const served: ServedModel = { artifact, version, calibration: new DomainCalibration(artifact.processor.layout.numDomains, artifact.processor.layout.tasks.length) };
    const old = this.entry;
    this.entry = { served, leases: 0, retired: false };
    if (old) {
      old.retired = true;
      if (old.leases === 0) old.served.artifact.model.dispose();
    }
    return served;
  }

  dispose(): void {
    if (this.entry) {
      this.entry.retired = true;
      if (this.entry.leases === 0) this.entry.served.artifact.model.dispose();
      this.entry = undefined;
    }
  }
}
