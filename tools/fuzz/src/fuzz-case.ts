/** One malformed request. `raw` requests are written to a socket byte for byte (no HTTP client in between). */
export interface FuzzCase {
  /** Category, e.g. `bad-json`, `wrong-type`, `path-traversal`; the report counts by it. */
  readonly kind: string;
  readonly description: string;
  readonly method: string;
  /** Path and query exactly as sent (not normalised, so `..` segments reach the server). */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly raw?: string;
}
