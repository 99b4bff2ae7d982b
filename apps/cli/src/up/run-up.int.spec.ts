import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { isPortFree, planPorts } from './ports';
import { REDIS_INSTALL_HINT } from './redis';
import { startUp } from './run-up';
import type { RunningUp, UpOptions } from './run-up';
import { ServiceStartError } from './supervisor';

/**
 * startUp's wiring against a stand-in CLI: a small script that answers `registry`, `node`, `worker`
 * and `gateway` with their real ready lines, records the flags and environment it was given, and
 * (as the gateway) serves GET /v1/keys for the key its auth store holds. The real services are
 * covered end to end in test/e2e/up.e2e.spec.ts.
 */
const FAKE_CLI = `
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const [service, ...args] = process.argv.slice(2);
const flag = (name) => args[args.indexOf(name) + 1];
const record = (entry) => fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify(entry) + '\\n');
record({
  service, args,
  token: process.env.AIAAS_INTERNAL_TOKEN, redis: process.env.REDIS_URL || null,
  bootstrapKey: process.env.AIAAS_BOOTSTRAP_ADMIN_KEY || null, dataDir: process.env.AIAAS_UP_DATA_DIR,
});
process.on('SIGTERM', () => { record({ stopped: service }); process.exit(0); });
setInterval(() => undefined, 1000);
if (process.env.FAKE_FAIL === service) { console.error(service + ': cannot open the database'); process.exit(1); }
if (service === 'registry') console.log('registry on 127.0.0.1:' + flag('--grpc-port') + ' (gRPC), metrics on http://127.0.0.1:1/metrics');
if (service === 'node') console.log('inference node on 127.0.0.1:' + flag('--grpc-port') + ' (gRPC), metrics on http://127.0.0.1:1/metrics');
if (service === 'worker') console.log('optimizer worker on queue optimize (concurrency 1), registry ' + flag('--registry'));
if (service === 'gateway') {
  // Like the real one: a fresh auth store takes AIAAS_BOOTSTRAP_ADMIN_KEY, an existing one keeps its key.
  const db = path.join(flag('--data-dir'), 'gateway.db');
  if (!fs.existsSync(db)) fs.writeFileSync(db, process.env.AIAAS_BOOTSTRAP_ADMIN_KEY || 'generated');
  const key = fs.readFileSync(db, 'utf8');
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/v1/keys' && req.headers.authorization === 'Bearer ' + key ? 200 : 401;
    res.end('{}');
  });
  server.listen(Number(flag('--rest-port')), '127.0.0.1', () =>
    console.log('gateway on http://127.0.0.1:' + flag('--rest-port') + ' (REST), 127.0.0.1:' + flag('--grpc-port') + ' (gRPC)'));
}
`;

interface Recorded {
  service?: string;
  args?: string[];
  token?: string;
  redis?: string | null;
  bootstrapKey?: string | null;
  dataDir?: string;
  stopped?: string;
}

async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let k = 0; k <= 8 && ok; k++) ok = await isPortFree(base + k);
    if (ok) return base;
  }
  throw new Error('no free port range');
}

describe('startUp (a stand-in CLI as the services)', () => {
  let dir: string;
  let recordFile: string;
  let lines: string[];
  let running: RunningUp | undefined;

  beforeEach(() => {
    dir = makeTempDir('run-up');
    recordFile = path.join(dir, 'record.jsonl');
    fs.writeFileSync(path.join(dir, 'fake-cli.js'), FAKE_CLI);
    lines = [];
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    removeDir(dir);
  });

  const recorded = (): Recorded[] =>
    fs.existsSync(recordFile)
      ? fs
          .readFileSync(recordFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Recorded)
      : [];

  const options = async (env: NodeJS.ProcessEnv = {}, extra: Partial<UpOptions> = {}): Promise<UpOptions> => ({
    dataDir: path.join(dir, 'data'),
    ports: planPorts({ portBase: String(await freeBase()) }),
    execPath: process.execPath,
    cliEntry: path.join(dir, 'fake-cli.js'),
    env: { PATH: process.env['PATH'], FAKE_RECORD: recordFile, ...env },
    print: (line) => lines.push(line),
    redisBinary: null,
    readyTimeoutMs: 20_000,
    ...extra,
  });

  it('without Redis: says how to install it in one line, runs no worker, and shares one token', async () => {
    const opts = await options();
    running = await startUp(opts);
    expect(lines.filter((line) => line.includes('redis'))).toEqual([REDIS_INSTALL_HINT]);
    expect(REDIS_INSTALL_HINT).toContain('apt-get install redis-server');
    expect(REDIS_INSTALL_HINT).toContain('brew install redis');
    expect(running.worker).toBe(false);
    expect(running.restUrl).toBe(`http://127.0.0.1:${opts.ports.gatewayRest}`);
    expect(running.grpcAddress).toBe(`127.0.0.1:${opts.ports.gatewayGrpc}`);

    const starts = recorded().filter((r) => r.service !== undefined);
    expect(starts.map((r) => r.service)).toEqual(['registry', 'node', 'gateway']);
    const token = fs.readFileSync(path.join(opts.dataDir, 'internal-token'), 'utf8').trim();
    expect(starts.every((r) => r.token === token && r.redis === null && r.dataDir === running!.layout.root)).toBe(true);
    const [registry, node, gateway] = starts;
    expect(registry!.args).toEqual([
      '--data-dir',
      path.join(running.layout.root, 'registry'),
      '--grpc-port',
      String(opts.ports.registryGrpc),
      '--metrics-port',
      String(opts.ports.registryMetrics),
    ]);
    const nodeId = fs.readFileSync(path.join(opts.dataDir, 'node-id'), 'utf8').trim();
    expect(node!.args).toEqual(
      expect.arrayContaining(['--registry', `127.0.0.1:${opts.ports.registryGrpc}`, '--node-id', nodeId]),
    );
    // First start: the gateway was given the key up then reports.
    expect(running.adminKey).toMatch(/^aiaas_[a-z0-9]+_[A-Za-z0-9_-]{43}$/);
    expect(gateway!.bootstrapKey).toBe(running.adminKey);
    expect(lines).toContain(
      `node     ready on 127.0.0.1:${opts.ports.nodeGrpc} (gRPC), node id ${nodeId} [pid ${running.supervisor.pid('node')}]`,
    );

    await running.stop();
    running = undefined;
    expect(
      recorded()
        .filter((r) => r.stopped)
        .map((r) => r.stopped),
    ).toEqual(['gateway', 'node', 'registry']);
    expect(lines).toContain('stopping gateway, node, registry');

    // Second start on the same data dir: same token and node id, and no admin key to show.
    fs.rmSync(recordFile);
    lines = [];
    running = await startUp({ ...opts, ports: planPorts({ portBase: String(await freeBase()) }) });
    expect(running.adminKey).toBeUndefined();
    const again = recorded().filter((r) => r.service !== undefined);
    expect(again.every((r) => r.token === token)).toBe(true);
    expect(again.find((r) => r.service === 'node')!.args).toEqual(expect.arrayContaining(['--node-id', nodeId]));
    expect(again.find((r) => r.service === 'gateway')!.bootstrapKey).toBeNull();
  });

  it('with REDIS_URL: gives it to the registry and a worker, and starts no Redis of its own', async () => {
    const opts = await options({ REDIS_URL: 'redis://127.0.0.1:6399' }, { redisBinary: '/nonexistent/redis-server' });
    running = await startUp(opts);
    expect(running.worker).toBe(true);
    const starts = recorded().filter((r) => r.service !== undefined);
    expect(starts.map((r) => r.service)).toEqual(['registry', 'node', 'worker', 'gateway']);
    expect(starts.find((r) => r.service === 'registry')!.redis).toBe('redis://127.0.0.1:6399');
    expect(starts.find((r) => r.service === 'worker')!.args).toEqual([
      '--registry',
      `127.0.0.1:${opts.ports.registryGrpc}`,
      '--redis',
      'redis://127.0.0.1:6399',
    ]);
    expect(lines.some((line) => line.startsWith('redis'))).toBe(false);
    await running.stop();
    running = undefined;
    expect(
      recorded()
        .filter((r) => r.stopped)
        .map((r) => r.stopped),
    ).toEqual(['gateway', 'worker', 'node', 'registry']);
  });

  it('a service failing its first start stops what started, shows its last lines, and frees the data dir', async () => {
    const opts = await options({ FAKE_FAIL: 'node' });
    await expect(startUp(opts)).rejects.toThrow(ServiceStartError);
    expect(lines).toContain('  node| node: cannot open the database');
    expect(
      recorded()
        .filter((r) => r.stopped)
        .map((r) => r.stopped),
    ).toEqual(['registry']);
    expect(fs.existsSync(path.join(opts.dataDir, 'run', 'up.pid'))).toBe(false);
    running = await startUp({ ...opts, env: { ...opts.env, FAKE_FAIL: '' } });
    expect(running.supervisor.names).toEqual(['registry', 'node', 'gateway']);
  });

  it('refuses to start when a port is taken, before starting anything', async () => {
    const opts = await options();
    const http = await import('node:http');
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(opts.ports.registryGrpc, '127.0.0.1', resolve));
    try {
      await expect(startUp(opts)).rejects.toThrow(
        new RegExp(`port already in use: ${opts.ports.registryGrpc} \\(registry gRPC, --registry-port\\)`),
      );
      expect(recorded()).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('stops what has started when aborted during start-up', async () => {
    const controller = new AbortController();
    const opts = await options({}, { signal: controller.signal });
    const starting = startUp({
      ...opts,
      print: (line) => {
        lines.push(line);
        if (line.startsWith('registry ')) controller.abort();
      },
    });
    await expect(starting).rejects.toThrow();
    expect(
      recorded()
        .filter((r) => r.stopped)
        .map((r) => r.stopped),
    ).toEqual(['registry']);
    expect(recorded().some((r) => r.service === 'gateway')).toBe(false);
  });
});
