import { connect, type Socket } from 'node:net';
import { pino } from 'pino';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createService, defineRoute, type AppModule } from './index.js';

// Readiness during a graceful shutdown: between `close()` and the end of the drain, a request that reaches
// the service must learn it is going away (503 + Connection: close) so the balancer stops sending traffic,
// while requests already in flight still complete.

const slowApp: AppModule = {
  name: 'demo',
  title: 'Demo',
  routes: [
    defineRoute({
      method: 'get', path: '/slow', summary: 'slow', auth: false,
      query: z.object({ ms: z.coerce.number().int().min(0).max(5000) }),
      handler: async ({ query }) => {
        await new Promise((r) => setTimeout(r, query.ms));
        return { done: true };
      },
    }),
  ],
};

function rawRequest(port: number): { socket: Socket; response: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  const response = new Promise<string>((resolve, reject) => {
    let data = '';
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
  return { socket, response };
}

const onceConnected = (s: Socket) => new Promise<void>((r) => (s.connecting ? s.once('connect', () => r()) : r()));

describe('readiness while draining', () => {
  it('answers /readyz 503 "shutting down" with Connection: close during the drain, and lets in-flight requests finish', async () => {
    const service = createService({ apps: [slowApp], logger: pino({ level: 'silent' }), limits: { rateLimit: false, shutdownGraceMs: 5000 } });
    const { url, port } = await service.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // A: a slow request in flight keeps the drain going.
    const a = rawRequest(port);
    await onceConnected(a.socket);
    a.socket.write('GET /api/demo/slow?ms=700 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    // B: a probe whose headers are still arriving when shutdown begins (so the connection is not idle and
    // survives closeIdleConnections), completed once draining has started.
    const b = rawRequest(port);
    await onceConnected(b.socket);
    b.socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 150));

    const closed = service.close();
    await new Promise((r) => setTimeout(r, 100));
    b.socket.write('\r\n');
    const probe = await b.response;
    expect(probe).toMatch(/^HTTP\/1\.1 503/);
    expect(probe).toMatch(/connection: close/i);
    const body = JSON.parse(probe.slice(probe.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'unavailable', message: 'shutting down' });

    const inFlight = await a.response;
    expect(inFlight).toMatch(/^HTTP\/1\.1 200/);
    expect(inFlight).toContain('{"done":true}');
    await closed;
    // After the drain the port is closed: new probes cannot connect at all.
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
  });
});
