import { MalformedEventError } from '@moe/service';

/** One snippet of one camera, as it arrives on a stream: `{camera, snippet, features[, id]}`. */
export interface SnippetEvent {
  camera: string;
  snippet: number;
  features: number[];
}

const CAMERA = /^[A-Za-z0-9._:-]{1,64}$/;

/** Checks a stream event; a bad one goes to the dead letters with a reason naming the field. */
export function decodeSnippetEvent(value: unknown, dim: number): SnippetEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedEventError(`event: expected an object {camera, snippet, features}, got ${JSON.stringify(value)?.slice(0, 80)}`);
  const v = value as { camera?: unknown; snippet?: unknown; features?: unknown };
  if (typeof v.camera !== 'string' || !CAMERA.test(v.camera)) throw new MalformedEventError(`field camera: expected 1–64 characters of A-Z a-z 0-9 . _ : -, got ${JSON.stringify(v.camera)}`, 'camera');
  const snippet = typeof v.snippet === 'string' && /^\d+$/.test(v.snippet) ? Number(v.snippet) : v.snippet;
  if (typeof snippet !== 'number' || !Number.isSafeInteger(snippet) || snippet < 0) throw new MalformedEventError(`field snippet: expected a non-negative integer, got ${JSON.stringify(v.snippet)}`, 'snippet');
  const features = typeof v.features === 'string' ? safeJson(v.features) : v.features;
  if (!Array.isArray(features) || features.length !== dim) throw new MalformedEventError(`field features: expected an array of ${dim} numbers, got ${Array.isArray(features) ? `${features.length} values` : JSON.stringify(v.features)?.slice(0, 40)}`, 'features');
  const bad = features.findIndex((f) => typeof f !== 'number' || !Number.isFinite(f));
  if (bad >= 0) throw new MalformedEventError(`field features.${bad}: expected a finite number, got ${JSON.stringify(features[bad])}`, `features.${bad}`);
  return { camera: v.camera, snippet, features: features as number[] };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
