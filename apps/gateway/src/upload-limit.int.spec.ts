import http from 'node:http';
import type { Socket } from 'node:net';
import { createLogger } from '@aiaas/common';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * A chunked (no content-length) upload over `maxUploadBytes` through a real gateway and registry:
 * the 413 closes the connection, so a client still sending (or one that never finishes its body)
 * does not hold the gateway's shutdown open; nor does an idle keep-alive connection.
 */
const logger = createLogger({ service: 'gateway-upload-limit-test', level: 'silent' });
const MAX_UPLOAD = 64 * 1024;

describe('gateway: an over-limit chunked upload', () => {
  const dirs: string[] = [];
  let registry: RunningRegistry;
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    const registryDir = makeTempDir('gw-upload-limit-registry');
    dirs.push(registryDir);
    registry = await startRegistry(
      loadRegistryConfig({ dataDir: registryDir, grpcPort: 0, metricsPort: 0 }, {}),
      logger,
    );
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await registry?.close();
    for (const dir of dirs) removeDir(dir);
  }, 120_000);

  it('answers 413 with connection: close, and the gateway then closes promptly', async () => {
    const gatewayDir = makeTempDir('gw-upload-limit-gateway');
    dirs.push(gatewayDir);
    const running = await startGateway(
      loadGatewayConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        dataDir: gatewayDir,
        restPort: 0,
        grpcPort: 0,
        metricsPort: 0,
        maxUploadBytes: MAX_UPLOAD,
        shutdownGraceMs: 2_000,
      }),
      logger,
    );
    gateway = running;
    const base = `http://127.0.0.1:${running.restPort}`;
    const key = (await running.keys.createKey({ tenant: 'acme', name: 'w', scopes: ['models:read', 'models:write'] }))
      .key;
    const created = await fetch(`${base}/v1/models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big' }),
    });
    expect(created.status).toBe(201);

    // An idle keep-alive connection, left open by its client.
    const agent = new http.Agent({ keepAlive: true });
    const idle = await new Promise<number>((resolve, reject) => {
      http
        .get(`${base}/v1/info`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        })
        .on('error', reject);
    });
    expect(idle).toBe(200);

    // The stuck client: sends its body in chunks past the limit and never ends it.
    let clientSocket: Socket | undefined;
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        const request = http.request(`${base}/v1/models/big/versions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
        });
        request.on('socket', (socket) => (clientSocket = socket));
        request.on('response', (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (data: string) => (body += data));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }),
          );
        });
        request.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 7);
        let sent = 0;
        const pump = (): void => {
          // Twice the limit, then silence: the body is never finished.
          if (sent > 2 * MAX_UPLOAD || request.destroyed) return;
          sent += chunk.length;
          if (request.write(chunk)) setImmediate(pump);
          else request.once('drain', pump);
        };
        pump();
      },
    );
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/too large.*65536 bytes/) },
    });
    // The gateway hangs up on that connection itself.
    const socket = clientSocket!;
    await new Promise<void>((resolve) =>
      socket.destroyed || socket.readyState === 'closed' ? resolve() : socket.once('close', () => resolve()),
    );

    // A client stuck mid-body on another route: its request never completes.
    const stuck = http.request(`${base}/v1/models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': '100' },
    });
    const stuckEnded = new Promise<string>((resolve) => {
      stuck.on('response', (response) => resolve(`answered ${response.statusCode ?? 0}`));
      stuck.on('error', (err) => resolve(`hung up: ${err.message}`));
    });
    stuck.write('{"name":');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Shutting down waits on none of these connections beyond its grace (2 s here), not the
    // ~73 s an open half-read request used to take.
    const started = Date.now();
    await running.close();
    gateway = undefined;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await stuckEnded).toMatch(/^hung up/);
    agent.destroy();
  }, 60_000);
});
