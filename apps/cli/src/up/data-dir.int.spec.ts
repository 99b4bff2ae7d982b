import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from '@aiaas/testing';
import {
  DATA_DIR_ENV,
  acquireLock,
  internalToken,
  isAlive,
  killLeftovers,
  newAdminKey,
  nodeId,
  prepareLayout,
  readOrCreateValue,
  upLayout,
  writePidFile,
} from './data-dir';
import { findRedisServer } from './redis';

describe('the data dir of aiaas up (real files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('up-data');
  });
  afterEach(() => removeDir(dir));

  const mode = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8);

  it('lays out one owner-only folder per service', () => {
    const layout = upLayout(path.join(dir, 'data'));
    prepareLayout(layout);
    for (const folder of [layout.root, layout.registry, layout.gateway, layout.logs, layout.run]) {
      expect(fs.statSync(folder).isDirectory()).toBe(true);
    }
    expect(mode(layout.root)).toBe('700');
    expect(path.isAbsolute(upLayout('relative/dir').root)).toBe(true);
  });

  it('makes the internal token and node id once (mode 0600) and reads the same ones back', () => {
    const layout = upLayout(dir);
    prepareLayout(layout);
    const first = internalToken(layout);
    expect(first.created).toBe(true);
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mode(layout.internalTokenFile)).toBe('600');
    expect(internalToken(layout)).toEqual({ value: first.value, created: false });
    const id = nodeId(layout);
    expect(id).toMatch(/^local-[0-9a-f]{8}$/);
    expect(nodeId(layout)).toBe(id);
  });

  it('refuses an empty value file instead of silently replacing a secret', () => {
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, '\n');
    expect(() => readOrCreateValue(file, () => 'x')).toThrow(`${file} is empty; delete it to have a new one made`);
  });

  it('makes admin keys in the gateway’s aiaas_<id>_<secret> format', () => {
    const key = newAdminKey();
    expect(key).toMatch(/^aiaas_[a-z0-9]{8,32}_[A-Za-z0-9_-]{43}$/);
    expect(newAdminKey()).not.toBe(key);
  });

  it('lets one aiaas up hold a data dir, and takes over a lock whose holder is gone', () => {
    const layout = upLayout(dir);
    prepareLayout(layout);
    // This test process is alive: a second "up" (another pid) must be refused.
    const release = acquireLock(layout, process.pid);
    expect(() => acquireLock(layout, 999_999_999)).toThrow(
      new RegExp(`another aiaas up \\(pid ${process.pid}\\) is using ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    release();
    expect(fs.existsSync(layout.lockFile)).toBe(false);

    fs.writeFileSync(layout.lockFile, '999999999\n');
    expect(isAlive(999_999_999)).toBe(false);
    const again = acquireLock(layout, process.pid);
    expect(fs.readFileSync(layout.lockFile, 'utf8').trim()).toBe(String(process.pid));
    again();
  });

  it('kills children a killed aiaas up left behind, but not a process that merely reused a pid', async () => {
    const layout = upLayout(dir);
    prepareLayout(layout);
    const start = (env: NodeJS.ProcessEnv, cwd?: string) =>
      spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, ...env },
        cwd,
      });
    const leftover = start({ [DATA_DIR_ENV]: layout.root });
    // Like redis-server: no marker in its environment, but it works in the data dir.
    fs.mkdirSync(layout.redis);
    const redisLike = start({}, layout.redis);
    const stranger = start({});
    try {
      writePidFile(layout, 'node', leftover.pid!);
      writePidFile(layout, 'redis', redisLike.pid!);
      writePidFile(layout, 'gateway', stranger.pid!);
      expect((await killLeftovers(layout)).sort()).toEqual(['node', 'redis']);
      // Waited for: their ports are free when killLeftovers returns.
      expect(isAlive(leftover.pid!)).toBe(false);
      expect(isAlive(redisLike.pid!)).toBe(false);
      expect(isAlive(stranger.pid!)).toBe(true);
      expect(fs.readdirSync(layout.run)).toEqual([]);
    } finally {
      for (const child of [leftover, redisLike, stranger]) child.kill('SIGKILL');
    }
  });

  it('finds redis-server on a PATH only where an executable file is', () => {
    const empty = path.join(dir, 'empty');
    const withBinary = path.join(dir, 'bin');
    fs.mkdirSync(empty);
    fs.mkdirSync(withBinary);
    fs.writeFileSync(path.join(empty, 'redis-server'), 'not executable', { mode: 0o644 });
    expect(findRedisServer(empty)).toBeUndefined();
    expect(findRedisServer('')).toBeUndefined();
    fs.writeFileSync(path.join(withBinary, 'redis-server'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findRedisServer([empty, withBinary].join(path.delimiter))).toBe(path.join(withBinary, 'redis-server'));
  });
});
