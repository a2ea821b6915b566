/** A loaded model version as served. */
export interface Served<T> {
  model: T;
  /** `v<registry id>` or a label for a model loaded from a path. */
  version: string;
  versionId?: number;
}

interface Entry<T> {
  served: Served<T>;
  leases: number;
  retired: boolean;
  release: () => void;
}

/**
 * Hot-swappable holder: a request leases the current model for its whole duration; `swap` serves a new one
 * for every later request at once, and the old one is disposed when its last lease ends — a swap never fails
 * an in-flight request nor frees tensors under it.
 */
export class ModelSlot<T extends { dispose(): void }> {
  private entry: Entry<T> | undefined;

  get current(): Served<T> | undefined {
    return this.entry?.served;
  }

  lease(): { served: Served<T>; release: () => void } | undefined {
    const entry = this.entry;
    if (!entry) return undefined;
    entry.leases++;
    let done = false;
    return {
      served: entry.served,
      release: () => {
        if (done) return;
        done = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) entry.release();
      },
    };
  }

  swap(model: T, version: string, versionId?: number): { draining: number; retired: Promise<void> } {
    const old = this.entry;
    this.entry = { served: { model, version, ...(versionId !== undefined ? { versionId } : {}) }, leases: 0, retired: false, release: () => {} };
    return { draining: old?.leases ?? 0, retired: old ? this.retire(old) : Promise.resolve() };
  }

  dispose(): Promise<void> {
    const old = this.entry;
    this.entry = undefined;
    return old ? this.retire(old) : Promise.resolve();
  }

  private retire(entry: Entry<T>): Promise<void> {
    return new Promise((resolve) => {
      entry.retired = true;
      entry.release = () => {
        entry.served.model.dispose();
        resolve();
      };
      if (entry.leases === 0) entry.release();
    });
  }
}
