import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { ServiceStartError, Supervisor } from './supervisor';
import type { ServiceSpec, SupervisorEvent } from './supervisor';

/**
 * The supervisor against tiny real child processes (node -e scripts): ready lines, crash restarts
 * with doubling back-off, giving up, ordered shutdown with SIGKILL after the grace period.
 */

/** A child that prints `ready`, appends its name to `order` on SIGTERM, and otherwise idles. */
function script(body: string): string {
  return `
const fs = require('node:fs');
const [name, dir] = process.argv.slice(1);
const countFile = dir + '/' + name + '.count';
const starts = (fs.existsSync(countFile) ? Number(fs.readFileSync(countFile, 'utf8')) : 0) + 1;
fs.writeFileSync(countFile, String(starts));
setInterval(() => undefined, 1000);
${body}
`;
}

const ORDERLY = script(`
process.on('SIGTERM', () => { fs.appendFileSync(dir + '/order', name + '\\n'); process.exit(0); });
console.log('some output of ' + name);
console.log(name + ' ready on port ' + (7000 + starts));
`);

const CRASHES_TWICE = script(`
console.log(name + ' ready on port ' + (7000 + starts));
if (starts <= 2) setTimeout(() => { console.error('boom number ' + starts); process.exit(3); }, 50);
`);

const ALWAYS_CRASHES = script(`
console.log(name + ' ready on port ' + (7000 + starts));
setTimeout(() => { console.error('boom ' + starts); process.exit(1); }, 20);
`);

const IGNORES_SIGTERM = script(`
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
console.log(name + ' ready on port ' + (7000 + starts));
`);

const NEVER_READY = script(
  `fs.writeFileSync(dir + '/' + name + '.pid', String(process.pid)); console.log('starting, slowly');`,
);
const DIES_AT_START = script(`console.error('cannot open the database: EACCES'); process.exit(2);`);

describe('Supervisor (real child processes)', () => {
  let dir: string;
  let supervisor: Supervisor | undefined;
  let events: SupervisorEvent[];

  beforeEach(() => {
    dir = makeTempDir('supervisor');
    events = [];
  });

  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
    removeDir(dir);
  });

  const spec = (name: string, code: string, extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
    name,
    command: process.execPath,
    args: ['-e', code, name, dir],
    logFile: path.join(dir, 'logs', `${name}.log`),
    ready: new RegExp(`${name} ready on port (\\d+)`),
    readyTimeoutMs: 20_000,
    ...extra,
  });

  const make = (options: ConstructorParameters<typeof Supervisor>[0] = {}): Supervisor => {
    supervisor = new Supervisor({ ...options, onEvent: (event) => events.push(event) });
    return supervisor;
  };

  async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const alive = (pid: number | undefined): boolean => {
    if (pid === undefined) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('resolves with the ready line, logs the output, and stops services last-started first', async () => {
    const s = make({ graceMs: 10_000 });
    const match = await s.start(spec('registry', ORDERLY));
    expect(match[1]).toBe('7001');
    await s.start(spec('node', ORDERLY));
    await s.start(spec('gateway', ORDERLY));
    expect(s.names).toEqual(['registry', 'node', 'gateway']);
    expect(events.filter((e) => e.kind === 'ready').map((e) => e.service)).toEqual(['registry', 'node', 'gateway']);
    const pids = s.names.map((name) => s.pid(name));
    expect(pids.every(alive)).toBe(true);

    await s.stop();
    expect(fs.readFileSync(path.join(dir, 'order'), 'utf8').trim().split('\n')).toEqual([
      'gateway',
      'node',
      'registry',
    ]);
    expect(pids.some(alive)).toBe(false);
    expect(events.filter((e) => e.kind === 'stopped').map((e) => e.service)).toEqual(['gateway', 'node', 'registry']);
    expect(events.every((e) => e.kind !== 'stopped' || (!e.forced && e.code === 0))).toBe(true);
    const log = fs.readFileSync(path.join(dir, 'logs', 'node.log'), 'utf8');
    expect(log).toContain('some output of node');
    expect(log).toMatch(/node \(pid \d+\) exited with code 0/);
    expect((fs.statSync(path.join(dir, 'logs', 'node.log')).mode & 0o777).toString(8)).toBe('600');
  });

  it('restarts a crashed service with a doubling back-off, and the others keep running', async () => {
    const s = make({ restartDelayMs: 100, maxCrashes: 5 });
    await s.start(spec('registry', ORDERLY));
    const registryPid = s.pid('registry');
    await s.start(spec('worker', CRASHES_TWICE));
    await until('the worker ready after two restarts', () =>
      events.some((e) => e.kind === 'ready' && e.restarts === 2),
    );

    const crashes = events.filter((e) => e.kind === 'crashed');
    expect(crashes).toHaveLength(2);
    expect(crashes.map((e) => e.kind === 'crashed' && e.restartInMs)).toEqual([100, 200]);
    expect(crashes.map((e) => e.kind === 'crashed' && e.code)).toEqual([3, 3]);
    expect(crashes[0]!.kind === 'crashed' && crashes[0]!.tail).toContain('boom number 1');
    const restarted = events.filter((e) => e.kind === 'ready' && e.service === 'worker');
    expect(restarted.map((e) => e.kind === 'ready' && e.match[1])).toEqual(['7001', '7002', '7003']);
    expect(s.state('worker')).toBe('running');
    expect(s.pid('registry')).toBe(registryPid);
    expect(alive(registryPid)).toBe(true);
  });

  it('restarts a service killed with SIGKILL and reports the signal', async () => {
    const s = make({ restartDelayMs: 50 });
    await s.start(spec('node', ORDERLY));
    const first = s.pid('node')!;
    process.kill(first, 'SIGKILL');
    await until('the node restarted', () => events.some((e) => e.kind === 'ready' && e.restarts === 1));
    const crash = events.find((e) => e.kind === 'crashed');
    expect(crash).toMatchObject({ service: 'node', signal: 'SIGKILL', code: null, pid: first });
    expect(s.pid('node')).not.toBe(first);
    expect(alive(s.pid('node'))).toBe(true);
  });

  it('gives up on a service that crashes more than maxCrashes times in the window', async () => {
    const s = make({ restartDelayMs: 10, maxRestartDelayMs: 40, maxCrashes: 3, crashWindowMs: 60_000 });
    await s.start(spec('registry', ORDERLY));
    await s.start(spec('worker', ALWAYS_CRASHES));
    await until('giving up', () => events.some((e) => e.kind === 'gave-up'));
    const gaveUp = events.find((e) => e.kind === 'gave-up')!;
    expect(gaveUp).toMatchObject({ service: 'worker', crashes: 4, code: 1, windowMs: 60_000 });
    expect(events.filter((e) => e.kind === 'crashed').map((e) => e.kind === 'crashed' && e.restartInMs)).toEqual([
      10, 20, 40,
    ]);
    expect(s.state('worker')).toBe('gave-up');
    // No further start after giving up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Number(fs.readFileSync(path.join(dir, 'worker.count'), 'utf8'))).toBe(4);
    expect(s.state('registry')).toBe('running');
    expect(alive(s.pid('registry'))).toBe(true);
  });

  it('kills a service that ignores SIGTERM once the grace period is over', async () => {
    const s = make({ graceMs: 300 });
    await s.start(spec('stubborn', IGNORES_SIGTERM));
    const pid = s.pid('stubborn');
    const started = Date.now();
    await s.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(events.find((e) => e.kind === 'stopped')).toMatchObject({
      service: 'stubborn',
      forced: true,
      signal: 'SIGKILL',
    });
    expect(alive(pid)).toBe(false);
  });

  it('fails a first start that exits before its ready line, with its last output', async () => {
    const s = make();
    const failure = s.start(spec('registry', DIES_AT_START));
    await expect(failure).rejects.toThrow(ServiceStartError);
    await expect(failure).rejects.toThrow(/registry exited before it was ready \(code 2\)/);
    const err = (await failure.catch((e: unknown) => e)) as ServiceStartError;
    expect(err.tail).toEqual(['cannot open the database: EACCES']);
    expect(s.names).toEqual([]);
    expect(events.filter((e) => e.kind === 'crashed')).toEqual([]);
  });

  it('fails and kills a first start that never prints its ready line', async () => {
    const s = make();
    await expect(s.start(spec('slow', NEVER_READY, { readyTimeoutMs: 500 }))).rejects.toThrow(
      /slow did not get ready in 500 ms/,
    );
    expect(s.names).toEqual([]);
    const pid = Number(fs.readFileSync(path.join(dir, 'slow.pid'), 'utf8'));
    await until('the slow child killed', () => !alive(pid));
  });

  it('fails a start whose command does not exist', async () => {
    const s = make();
    await expect(s.start({ ...spec('ghost', ''), command: path.join(dir, 'no-such-binary') })).rejects.toThrow(
      /ghost could not be started: .*ENOENT/,
    );
  });

  it('redacts matching lines in the log but shows them to onLine', async () => {
    const seen: string[] = [];
    const s = make();
    await s.start(
      spec('gateway', script(`console.log('admin key: aiaas_secret'); console.log(name + ' ready on port 1');`), {
        redact: /admin key: /,
        onLine: (line) => seen.push(line),
      }),
    );
    await s.stop();
    expect(seen).toContain('admin key: aiaas_secret');
    const log = fs.readFileSync(path.join(dir, 'logs', 'gateway.log'), 'utf8');
    expect(log).not.toContain('aiaas_secret');
    expect(log).toContain('[redacted]');
  });

  it('refuses to start services once stopping', async () => {
    const s = make();
    await s.stop();
    await expect(s.start(spec('late', ORDERLY))).rejects.toThrow(/the supervisor is stopping/);
  });
});
