import { mkdir, open, readFile, rename, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Checkpoint, CheckpointKey, DeadLetter, UnitOfWork, WorkerStore } from '../types.js';

export interface FileWorkerStoreOptions {
  /** The checkpoint file (JSON). Written by atomic rename, so it is always the last whole commit. */
  path: string;
  /** Dead letters, one JSON object a line. Default `<path>.dead-letters.ndjson`. */
  deadLetterPath?: string;
  /**
   * How many recent processed ids are kept per stream. File sources resume at an exact offset and need none;
   * push and Redis redeliveries are recent, so a window bounds the file without losing idempotency in practice.
   * Default 10,000.
   */
  processedWindow?: number;
}

interface CheckpointFile {
  version: 1;
  key: CheckpointKey;
  position?: string;
  eventsApplied: number;
  state?: string;
  /** Size of the dead-letter file at this commit: anything beyond was written by a commit that did not finish. */
  deadLetterBytes: number;
  processed: Record<string, string[]>;
}

/**
 * The embedded store: one worker's checkpoint, processed ids and dead letters in files, no database needed.
 * A commit appends its dead letters, then atomically replaces the checkpoint file; on load the dead-letter
 * file is cut back to the size the checkpoint recorded, so an interrupted commit leaves no trace. Handlers
 * get no transaction handle (`tx` is undefined): their effect is the learner state saved in the checkpoint.
 * One worker per file; for consumer groups sharing a stream use the database store.
 */
export class FileWorkerStore implements WorkerStore<undefined> {
  readonly deadLetterPath: string;
  private readonly window: number;
  private doc: CheckpointFile | undefined;
  private readonly processedSets = new Map<string, Set<string>>();

  constructor(private readonly options: FileWorkerStoreOptions) {
    this.deadLetterPath = options.deadLetterPath ?? `${options.path}.dead-letters.ndjson`;
    this.window = options.processedWindow ?? 10_000;
    if (!Number.isInteger(this.window) || this.window < 0) {
      throw new Error(`FileWorkerStore processedWindow: expected a non-negative integer, got ${this.window}`);
    }
  }

  async loadCheckpoint(key: CheckpointKey): Promise<Checkpoint | undefined> {
    await mkdir(dirname(this.options.path), { recursive: true });
    const text = await readFile(this.options.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text === undefined) {
      this.doc = { version: 1, key: { stream: key.stream, consumer: key.consumer }, eventsApplied: 0, deadLetterBytes: await fileSize(this.deadLetterPath), processed: {} };
      return undefined;
    }
    const doc = parseCheckpointFile(text, this.options.path);
    if (!sameKey(doc.key, key)) {
      throw new Error(`${this.options.path}: checkpoint belongs to ${JSON.stringify(doc.key)}, not ${JSON.stringify(key)}`);
    }
    if ((await fileSize(this.deadLetterPath)) > doc.deadLetterBytes) await truncate(this.deadLetterPath, doc.deadLetterBytes);
    this.doc = doc;
    this.processedSets.clear();
    for (const [scope, ids] of Object.entries(doc.processed)) this.processedSets.set(scope, new Set(ids));
    return { position: doc.position, state: doc.state, eventsApplied: doc.eventsApplied };
  }

  async transaction<T>(body: (unit: UnitOfWork<undefined>) => Promise<T>): Promise<T> {
    const doc = this.doc;
    if (!doc) throw new Error('FileWorkerStore: loadCheckpoint must be called before a transaction');
    const letters: DeadLetter[] = [];
    const marked = new Map<string, string[]>();
    let checkpoint: Checkpoint | undefined;
    const result = await body({
      tx: undefined,
      processed: async (scope, ids) => {
        const set = this.processedSets.get(scope);
        return new Set(set ? ids.filter((id) => set.has(id)) : []);
      },
      markProcessed: async (scope, ids) => {
        marked.set(scope, [...(marked.get(scope) ?? []), ...ids]);
      },
      deadLetter: async (l) => {
        letters.push(...l);
      },
      saveCheckpoint: async (key, cp) => {
        if (!sameKey(key, doc.key)) throw new Error(`FileWorkerStore holds the checkpoint of ${JSON.stringify(doc.key)}, not ${JSON.stringify(key)}`);
        checkpoint = cp;
      },
    });
    if (!checkpoint && (letters.length > 0 || marked.size > 0)) {
      throw new Error('FileWorkerStore: a transaction that marks events must also save the checkpoint');
    }
    if (!checkpoint) return result;
    const next: CheckpointFile = { ...doc, position: checkpoint.position, state: checkpoint.state, eventsApplied: checkpoint.eventsApplied, processed: { ...doc.processed } };
    // `slice(-0)` would keep everything: a window of 0 keeps no ids.
    for (const [scope, ids] of marked) next.processed[scope] = this.window === 0 ? [] : [...(doc.processed[scope] ?? []), ...ids].slice(-this.window);
    next.deadLetterBytes = letters.length > 0 ? await appendDurably(this.deadLetterPath, letters) : doc.deadLetterBytes;
    await writeAtomically(this.options.path, JSON.stringify(next));
    this.doc = next;
    for (const [scope] of marked) this.processedSets.set(scope, new Set(next.processed[scope]));
    return result;
  }

  isRetryable(): boolean {
    return false;
  }

  /** The dead letters committed so far. */
  async readDeadLetters(): Promise<DeadLetter[]> {
    const text = await readFile(this.deadLetterPath, 'utf8').catch(() => '');
    const committed = this.doc ? Buffer.from(text).subarray(0, this.doc.deadLetterBytes).toString('utf8') : text;
    return committed.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeadLetter);
  }

  async close(): Promise<void> {}
}

function sameKey(a: CheckpointKey, b: CheckpointKey): boolean {
  return a.stream === b.stream && a.consumer === b.consumer;
}

async function fileSize(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

async function appendDurably(path: string, letters: readonly DeadLetter[]): Promise<number> {
  const handle = await open(path, 'a');
  try {
    await handle.write(letters.map((l) => JSON.stringify(l) + '\n').join(''));
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Write to a temporary file, fsync, rename over the target, fsync the directory: readers see old or new, whole. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

function parseCheckpointFile(text: string, path: string): CheckpointFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: expected a JSON checkpoint, got unparseable text (${(e as Error).message})`);
  }
  const d = doc as Partial<CheckpointFile> | null;
  if (!d || d.version !== 1 || typeof d.key?.stream !== 'string' || typeof d.key.consumer !== 'string' || !Number.isInteger(d.eventsApplied) || !Number.isInteger(d.deadLetterBytes) || typeof d.processed !== 'object') {
    throw new Error(`${path}: expected a version 1 worker checkpoint {key: {stream, consumer}, eventsApplied, deadLetterBytes, processed}, got ${text.slice(0, 80)}`);
  }
  return d as CheckpointFile;
}
