import type { DeadLetter, EventHandler, SourceRecord } from './types.js';

export interface PreparedEvent<E> {
  readonly id: string;
  readonly event: E;
  readonly record: SourceRecord;
}

export interface PreparedBatch<E> {
  /** Decoded events, first occurrence of each id only. */
  readonly events: PreparedEvent<E>[];
  /** Records that could not be parsed or decoded, first occurrence of each id only. */
  readonly deadLetters: DeadLetter[];
  /** Every distinct id in the batch (events and dead letters), for the idempotency check. */
  readonly ids: string[];
}

/**
 * Decodes a batch before its transaction opens, so the transaction holds locks only while applying. A record
 * the source could not parse, or whose `decode` throws, becomes a dead letter with the reason; the id used
 * for idempotency is the handler's, else the value's `id` field, else the delivery id.
 */
export function prepareBatch<E, Tx>(records: readonly SourceRecord[], handler: EventHandler<E, Tx>, source: string): PreparedBatch<E> {
  const events: PreparedEvent<E>[] = [];
  const deadLetters: DeadLetter[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    if (record.error !== undefined) {
      const id = valueId(record.value) ?? record.deliveryId;
      if (!seen.has(id)) deadLetters.push(letter(id, record, record.error, source));
      seen.add(id);
      continue;
    }
    let event: E;
    try {
      event = handler.decode(record.value, record);
    } catch (error) {
      const id = valueId(record.value) ?? record.deliveryId;
      if (!seen.has(id)) deadLetters.push(letter(id, record, error instanceof Error ? error.message : String(error), source));
      seen.add(id);
      continue;
    }
    const id = handler.eventId?.(event, record) ?? valueId(event) ?? record.deliveryId;
    if (!seen.has(id)) events.push({ id, event, record });
    seen.add(id);
  }
  return { events, deadLetters, ids: [...seen] };
}

function valueId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || !('id' in value)) return undefined;
  const id = (value as { id: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

function letter(eventId: string, record: SourceRecord, reason: string, source: string): DeadLetter {
  const payload = typeof record.value === 'string' ? record.value : JSON.stringify(record.value ?? null);
  return { eventId, source, origin: record.origin, reason: `${record.origin}: ${reason}`, payload };
}
