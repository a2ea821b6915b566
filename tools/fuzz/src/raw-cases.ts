import type { FuzzCase } from './fuzz-case.js';

/** Requests malformed at the HTTP level, written raw to the socket: Node's parser refuses them before express. */
export function rawHttpCases(host: string): FuzzCase[] {
  const h = `Host: ${host}\r\n`;
  const cases: [string, string][] = [
    ['garbage request line', 'GARBAGE\r\n\r\n'],
    ['lower-case method', 'get /healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['invalid header name', `GET /api/x HTTP/1.1\r\n${h}Bad Header: x\r\n\r\n`],
    ['control character in header value', `GET /api/x HTTP/1.1\r\n${h}X-A: a\u0001b\r\n\r\n`],
    ['64 kB header', `GET /api/x HTTP/1.1\r\n${h}X-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
    ['non-numeric Content-Length', `POST /api/x HTTP/1.1\r\n${h}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`],
    ['Content-Length and Transfer-Encoding together (smuggling)', `POST /api/x HTTP/1.1\r\n${h}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['invalid chunk size', `POST /api/x HTTP/1.1\r\n${h}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`],
    ['space before colon in header', `GET /api/x HTTP/1.1\r\n${h}X-A : b\r\n\r\n`],
    ['unsupported HTTP version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['raw dot-dot path', `GET /api/../../etc/passwd HTTP/1.1\r\n${h}Connection: close\r\n\r\n`],
    ['absolute-form URL to another host', `GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\n${h}Connection: close\r\n\r\n`],
  ];
  return cases.map(([description, raw]) => ({ kind: 'raw-http', description, method: 'RAW', path: '', headers: {}, raw }));
}
