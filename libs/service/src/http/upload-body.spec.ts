import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, defineRoute, staticApiKeyVerifier, type AppModule, type Service } from './index.js';

type ErrorJson = { error: { code: string; message: string; path?: string } };

const files: AppModule = {
  name: 'files',
  title: 'Files',
  routes: [
    defineRoute({
      method: 'post', path: '/inspect', summary: 'echo what was uploaded', auth: false,
      query: z.object({ tag: z.string().max(8).optional() }),
      upload: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 1000 },
      handler: ({ upload, query }) => ({ bytes: upload?.bytes.length, contentType: upload?.contentType, first: upload ? Array.from(upload.bytes.subarray(0, 3)) : [], tag: query.tag ?? null }),
    }),
    defineRoute({
      method: 'post', path: '/secure', summary: 'upload behind a key',
      upload: { contentTypes: ['image/*'], maxBytes: 100 },
      handler: ({ upload }) => ({ bytes: upload?.bytes.length }),
    }),
  ],
};

let service: Service;
let url: string;
beforeAll(async () => {
  service = createService({ apps: [files], logger: pino({ level: 'silent' }), apiKeys: staticApiKeyVerifier([{ name: 'k', secret: 'moe_test_key_0123456789' }]), limits: { rateLimit: false } });
  ({ url } = await service.listen());
});
afterAll(async () => service.close());

/** A raw POST (fetch would refuse to send a body larger than a declared Content-Length, which we need). */
function rawPost(path: string, headers: Record<string, string>, chunks: Uint8Array[]): Promise<{ status: number; body: { error?: { code: string; message: string; path?: string } } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('upload routes (raw binary bodies)', () => {
  it('hands the bytes and the media type to the handler', async () => {
    const bytes = new Uint8Array(600).map((_, i) => i % 251);
    const res = await fetch(`${url}/api/files/inspect?tag=a`, { method: 'POST', headers: { 'content-type': 'image/PNG; charset=binary' }, body: bytes });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: 600, contentType: 'image/png', first: [0, 1, 2], tag: 'a' });
  });

  it('answers 415 naming the accepted types for any other content type, JSON included', async () => {
    for (const type of ['application/json', 'image/gif', 'text/plain']) {
      const res = await fetch(`${url}/api/files/inspect`, { method: 'POST', headers: { 'content-type': type }, body: '{"a":1}' });
      expect(res.status, type).toBe(415);
      const body = (await res.json()) as ErrorJson;
      expect(body.error).toMatchObject({ code: 'unsupported_media_type', path: 'headers.content-type' });
      expect(body.error.message).toContain('image/png, image/jpeg');
      expect(body.error.message).toContain(type);
    }
    const none = await rawPost('/api/files/inspect', {}, [new Uint8Array(10)]);
    expect(none.status).toBe(415);
    expect(none.body.error?.message).toContain("got 'none'");
  });

  it('answers 413 past maxBytes, by Content-Length and while streaming without one', async () => {
    const declared = await fetch(`${url}/api/files/inspect`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(1001) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as ErrorJson).error).toMatchObject({ code: 'payload_too_large', path: 'body' });
    // Chunked: no Content-Length, the limit is noticed while reading.
    const chunked = await rawPost('/api/files/inspect', { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' }, [new Uint8Array(700), new Uint8Array(700)]);
    expect(chunked.status).toBe(413);
    expect(chunked.body.error?.message).toContain('1000 bytes');
    // Exactly the limit is accepted.
    const exact = await fetch(`${url}/api/files/inspect`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(1000) });
    expect(exact.status).toBe(200);
  });

  it('answers 400 for an empty body and 401 before reading the body of an unauthenticated request', async () => {
    const empty = await fetch(`${url}/api/files/inspect`, { method: 'POST', headers: { 'content-type': 'image/png' } });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorJson).error.message).toContain('empty');
    const anon = await fetch(`${url}/api/files/secure`, { method: 'POST', headers: { 'content-type': 'image/tiff' }, body: new Uint8Array(10) });
    expect(anon.status).toBe(401);
    const keyed = await fetch(`${url}/api/files/secure`, { method: 'POST', headers: { 'content-type': 'image/tiff', 'x-api-key': 'moe_test_key_0123456789' }, body: new Uint8Array(10) });
    expect(keyed.status).toBe(200);
    expect(await keyed.json()).toEqual({ bytes: 10 });
  });

  it('documents the binary body, 413 and 415 in the OpenAPI document', () => {
    const op = service.openApi.paths['/api/files/inspect'].post as { requestBody: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, unknown> };
    expect(Object.keys(op.requestBody.content)).toEqual(['image/png', 'image/jpeg']);
    expect(op.requestBody.content['image/png'].schema).toEqual({ type: 'string', format: 'binary', maxLength: 1000 });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
  });

  it('refuses at build time a route with both a JSON body and an upload, or bad upload options', () => {
    const both: AppModule = { name: 'bad', title: 'Bad', routes: [defineRoute({ method: 'post', path: '/x', summary: 'x', body: z.object({}), upload: { contentTypes: ['image/png'], maxBytes: 10 }, handler: () => ({}) })] };
    expect(() => createService({ apps: [both], logger: pino({ level: 'silent' }) })).toThrow(/either a JSON body or an upload/);
    const typo: AppModule = { name: 'bad', title: 'Bad', routes: [defineRoute({ method: 'post', path: '/x', summary: 'x', upload: { contentTypes: ['png'], maxBytes: 10 }, handler: () => ({}) })] };
    expect(() => createService({ apps: [typo], logger: pino({ level: 'silent' }) })).toThrow(/upload.contentTypes/);
  });
});
