import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { AiaasClient, AiaasError } from './index';

/**
 * The REST transport against a scripted node:http server on a free port: retries (which methods,
 * which failures), one retry with a fresh OAuth2 token after a 401, deadlines, cancellation, and
 * upload back-pressure (the client never runs far ahead of a slow reader).
 */
type Handler = (request: IncomingMessage, response: ServerResponse, body: () => Promise<Buffer>) => void;

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const body = async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    handler(request, response, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function failure(promise: Promise<unknown>): Promise<AiaasError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AiaasError);
  return err as AiaasError;
}

describe('REST transport (scripted HTTP server)', () => {
  it('retries GET on 503 and a reset connection, not POST on 503', async () => {
    const seen: string[] = [];
    const server = await serve((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      const count = seen.filter((s) => s === `${request.method} ${request.url}`).length;
      if (request.url === '/v1/nodes' && count === 1) return request.socket.destroy();
      if (count <= 2) return json(response, 503, { error: { code: 'UNAVAILABLE', message: 'registry restarting' } });
      json(
        response,
        request.method === 'POST' ? 201 : 200,
        request.method === 'POST' ? { name: 'm' } : { models: [], nodes: [] },
      );
    });
    const client = new AiaasClient({ url: server.url, apiKey: 'k', retryBaseDelayMs: 5 });
    try {
      await expect(client.models.list()).resolves.toEqual({ models: [], nodes: [] });
      expect(seen.filter((s) => s === 'GET /v1/models')).toHaveLength(3);
      await expect(client.nodes.list()).resolves.toEqual([]);
      const err = await failure(client.models.create({ name: 'm' }));
      expect(err).toMatchObject({ code: 'UNAVAILABLE', status: 503, message: 'registry restarting' });
      expect(seen.filter((s) => s === 'POST /v1/models')).toHaveLength(1);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('fetches a fresh OAuth2 token once after a 401, and stops there', async () => {
    let issued = 0;
    const accepted = new Set<string>();
    const server = await serve((request, response, body) => {
      void (async () => {
        if (request.url === '/oauth/token') {
          const form = new URLSearchParams((await body()).toString());
          if (form.get('client_secret') !== 's3cret')
            return json(response, 401, { error: 'invalid_client', error_description: 'bad' });
          issued += 1;
          // Only the newest token is accepted: as after the gateway's signing keys rotated.
          accepted.clear();
          accepted.add(`Bearer tok${issued}`);
          return json(response, 200, { access_token: `tok${issued}`, token_type: 'Bearer', expires_in: 900 });
        }
        if (request.url === '/v1/models/stale' && issued === 1) accepted.clear();
        if (!accepted.has(request.headers.authorization ?? '')) {
          return json(response, 401, { error: { code: 'UNAUTHENTICATED', message: 'token expired' } });
        }
        json(response, 200, { name: 'ok' });
      })();
    });
    const client = new AiaasClient({ url: server.url, clientId: 'c', clientSecret: 's3cret', retryBaseDelayMs: 5 });
    try {
      await expect(client.models.get('a')).resolves.toEqual({ name: 'ok' });
      await expect(client.models.get('b')).resolves.toEqual({ name: 'ok' });
      expect(issued).toBe(1);
      // The server stops taking token 1: one refresh, then success.
      await expect(client.models.get('stale')).resolves.toEqual({ name: 'ok' });
      expect(issued).toBe(2);
      expect(await client.authorization()).toBe('Bearer tok2');
    } finally {
      client.close();
    }
    const wrong = new AiaasClient({ url: server.url, clientId: 'c', clientSecret: 'nope' });
    try {
      expect(await failure(wrong.models.get('a'))).toMatchObject({
        code: 'UNAUTHENTICATED',
        remoteCode: 'invalid_client',
      });
    } finally {
      wrong.close();
      await server.close();
    }
  });

  it('ends a call at its deadline with DEADLINE_EXCEEDED, and at abort with CANCELLED', async () => {
    const server = await serve(() => undefined); // never answers
    const client = new AiaasClient({ url: server.url, apiKey: 'k' });
    try {
      const started = Date.now();
      expect(await failure(client.models.list({ deadlineMs: 200 }))).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
      expect(Date.now() - started).toBeLessThan(5_000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 100);
      const err = await failure(client.models.list({ signal: controller.signal }));
      expect(err.code).toBe('CANCELLED');
      expect(err.message).toMatch(/Ctrl-C/);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('uploads with back-pressure: never far ahead of a slow reader', async () => {
    const total = 48 * 1024 * 1024;
    let received = 0;
    let maxAhead = 0;
    const server = await serve((request, response) => {
      // Read 1 MiB, pause 20 ms, repeat: about 50 MiB/s at most.
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received % (1 << 20) < chunk.length) {
          request.pause();
          setTimeout(() => request.resume(), 20);
        }
      });
      request.on('end', () => json(response, 201, { model: 'm', version: 1, size_bytes: received }));
    });
    const client = new AiaasClient({ url: server.url, apiKey: 'k' });
    try {
      let produced = 0;
      const source = new Readable({
        read() {
          if (produced >= total) return this.push(null);
          const chunk = Buffer.alloc(256 * 1024, produced & 0xff);
          produced += chunk.length;
          this.push(chunk);
        },
      });
      const version = await client.models.upload('m', source, {
        sizeBytes: total,
        onProgress: (p) => {
          maxAhead = Math.max(maxAhead, p.bytes - received);
          expect(p.totalBytes).toBe(total);
        },
      });
      expect(version).toEqual({ model: 'm', version: 1, size_bytes: total });
      // Socket buffers on both sides hold a few MiB at most; without back-pressure it would be ~48 MiB.
      expect(maxAhead).toBeLessThan(16 * 1024 * 1024);
    } finally {
      client.close();
      await server.close();
    }
  }, 60_000);
});
