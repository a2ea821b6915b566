import http from 'node:http';
import net from 'node:net';
import type { FuzzCase } from './fuzz-case.js';

/** What came back for one case. `status` 0 means no HTTP answer (connection error, timeout). */
export interface FuzzOutcome {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly error?: string;
}

const TIMEOUT_MS = 15_000;

/** Sends a case with node:http (paths go out verbatim: no URL normalisation as fetch would do). */
export function sendCase(base: URL, c: FuzzCase, agent: http.Agent): Promise<FuzzOutcome> {
  if (c.raw !== undefined) return sendRaw(base, c.raw);
  return new Promise((resolve) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method: c.method, path: c.path, headers: c.headers, agent, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: res.statusCode ?? 0, contentType: '', body: '', error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, contentType: '', body: '', error: e.message }));
    if (c.body !== undefined) req.end(c.body);
    else req.end();
  });
}

/** Writes raw bytes and parses whatever HTTP response comes back before the server closes the socket. */
function sendRaw(base: URL, raw: string): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: base.hostname, port: Number(base.port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const ct = /^content-type:\s*(.*)$/im.exec(head)?.[1] ?? '';
      resolve({ status: m ? Number(m[1]) : 0, contentType: ct.trim(), body, ...(m ? {} : { error: error ?? 'no HTTP response' }) });
    };
    socket.setTimeout(TIMEOUT_MS, () => finish('timeout'));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // One complete response is enough: stop once the announced body has arrived.
      const text = Buffer.concat(chunks).toString('utf8');
      const i = text.indexOf('\r\n\r\n');
      const len = /^content-length:\s*(\d+)/im.exec(text.slice(0, i))?.[1];
      if (i >= 0 && len !== undefined && Buffer.byteLength(text.slice(i + 4)) >= Number(len)) finish();
    });
    socket.on('end', () => finish());
    socket.on('error', (e) => finish(e.message));
    socket.write(raw);
  });
}
