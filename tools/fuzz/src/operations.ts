import type { OpenApiDocument } from '@moe/service';
import type { JsonSchema } from './json-schema.js';

/** One endpoint as the fuzzer sees it, read from an OpenAPI document. */
export interface Operation {
  readonly method: string;
  /** OpenAPI path with `{name}` placeholders. */
  readonly path: string;
  readonly pathParams: { name: string; schema: JsonSchema }[];
  readonly queryParams: { name: string; schema: JsonSchema; required: boolean }[];
  readonly body: JsonSchema | undefined;
  readonly auth: boolean;
}

interface RawParameter { name: string; in: string; required?: boolean; schema?: JsonSchema }
interface RawOperation {
  parameters?: RawParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
}

/** Every operation of the document except the platform probes (they take no input). */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, raw] of Object.entries(methods) as [string, RawOperation][]) {
      const params = raw.parameters ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        body: raw.requestBody?.content?.['application/json']?.schema,
        auth: Array.isArray(raw.security) && raw.security.length > 0,
      });
    }
  }
  return out;
}
