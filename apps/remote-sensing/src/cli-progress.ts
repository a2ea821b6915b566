/**
 * A one-line progress bar on stderr (a TTY) or JSON lines (otherwise), so stdout keeps only the command's
 * JSON summary.
 */
export function createCliProgress(label: string, mode: 'auto' | 'bar' | 'json' | 'none' = 'auto'): (done: number, total: number, info?: Record<string, number | string>) => void {
  const resolved = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'json') : mode;
  let last = 0;
  return (done, total, info = {}) => {
    if (resolved === 'none') return;
    const now = Date.now();
    const final = done >= total;
    if (resolved === 'json') {
      if (!final && now - last < 2000) return;
      last = now;
      process.stderr.write(`${JSON.stringify({ task: label, done, total, ...info })}\n`);
      return;
    }
    if (!final && now - last < 100) return;
    last = now;
    const width = 28;
    const filled = Math.round((done / total) * width);
    const extra = Object.entries(info).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(4) : v}`).join('  ');
    process.stderr.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${extra}${final ? '\n' : ''}`);
  };
}
