import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { findFreePort } from './ports';
import { findRedisServer, privateRedisSpec } from './redis';
import { Supervisor } from './supervisor';

/**
 * The private Redis `aiaas up` runs when there is no REDIS_URL: a real redis-server (on the PATH
 * here; CI installs it), whose append-only file keeps queued jobs across a restart.
 */
const binary = findRedisServer();
const describeWithRedis = binary === undefined ? describe.skip : describe;

describeWithRedis('the private Redis (a real redis-server)', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('up-redis');
  });
  afterEach(() => removeDir(dir));

  it('keeps what was written across a stop and a start, on loopback only', async () => {
    const port = await findFreePort();
    const spec = privateRedisSpec({
      binary: binary!,
      dir: path.join(dir, 'redis'),
      port,
      logFile: path.join(dir, 'redis.log'),
    });
    expect(spec.args).toEqual(expect.arrayContaining(['--bind', '127.0.0.1', '--appendonly', 'yes']));

    const first = new Supervisor({ graceMs: 10_000 });
    await first.start(spec);
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    // A BullMQ-like list: what a queued job is.
    await client.lpush('bull:optimize:wait', 'job-1', 'job-2');
    client.disconnect();
    await first.stop();
    expect(fs.readdirSync(path.join(dir, 'redis')).some((f) => f.startsWith('appendonly'))).toBe(true);

    const second = new Supervisor({ graceMs: 10_000 });
    await second.start(spec);
    const again = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await again.connect();
      expect(await again.lrange('bull:optimize:wait', 0, -1)).toEqual(['job-2', 'job-1']);
      expect(await again.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      again.disconnect();
      await second.stop();
    }
  });
});
