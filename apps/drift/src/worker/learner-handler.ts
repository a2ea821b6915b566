import type { EventHandler, PrismaTx, SourceRecord } from '@moe/service';
import type { Schema } from '@moe/stream';
import type { LearnerConfig } from '../model/methods.js';
import { writeDriftEvents } from '../service/drift-event-writer.js';
import { PrequentialSession, type SessionOptions, type SessionState } from '../service/prequential-session.js';
import { decodeState, encodeState } from '../service/state-codec.js';
import { decodeInstance, type LabelledInstance } from './instance-decoder.js';

export interface LearnerHandlerOptions {
  method: string;
  schema: Schema;
  /** Stream name the drift events are stored under. */
  stream: string;
  learner?: LearnerConfig;
  session?: SessionOptions;
}

/**
 * Test-then-train as a worker handler: each event is predicted, scored and learnt; drift detections are
 * written through the commit's transaction, and the whole session (learner, counters, monitor) is the
 * checkpoint state. The runtime saves that state with the source position in one transaction and calls
 * `restore` with the last committed state on start and after a failed commit, so after a crash the learner
 * resumes from exactly the instances whose effects were committed.
 */
export class LearnerHandler implements EventHandler<LabelledInstance, PrismaTx> {
  private current: PrequentialSession;

  constructor(private readonly options: LearnerHandlerOptions) {
    this.current = this.fresh();
  }

  get session(): PrequentialSession {
    return this.current;
  }

  decode(value: unknown): LabelledInstance {
    return decodeInstance(this.options.schema, value);
  }

  eventId(event: LabelledInstance, record: SourceRecord): string {
    return event.id ?? record.deliveryId;
  }

  async apply(event: LabelledInstance, tx: PrismaTx): Promise<void> {
    this.current.testThenTrain(event.x, event.y);
    const events = this.current.takeDriftEvents();
    if (events.length > 0) await writeDriftEvents(tx, this.options.stream, events);
  }

  snapshot(): string {
    return encodeState(this.current.getState());
  }

  restore(state: string | undefined): void {
    if (state === undefined) {
      this.current = this.fresh();
      return;
    }
    const saved = decodeState(state) as SessionState;
    if (saved.method !== this.options.method) {
      throw new Error(`checkpoint of stream '${this.options.stream}' holds a '${saved.method}' learner, but --method is '${this.options.method}'; use another --stream-name or the same method`);
    }
    this.current = PrequentialSession.restore(saved, this.options.session);
  }

  private fresh(): PrequentialSession {
    return PrequentialSession.create(this.options.method, this.options.schema, this.options.learner, this.options.session);
  }
}
