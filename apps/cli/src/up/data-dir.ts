import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where each service of `aiaas up` keeps its files inside the data dir. */
export interface UpLayout {
  root: string;
  /** registry.db and the artifact blobs. */
  registry: string;
  /** gateway.db (keys, clients, signing keys). */
  gateway: string;
  /** Passed as the node's --data-dir: it keeps DIR/node/models and DIR/node/artifacts (its cache). */
  nodeDataDir: string;
  redis: string;
  logs: string;
  /** One `<service>.pid` per running child, and `up.pid` for the supervisor. */
  run: string;
  internalTokenFile: string;
  nodeIdFile: string;
  lockFile: string;
}

/** The layout under `root` (made absolute: children run with their own cwd). */
export function upLayout(root: string): UpLayout {
  const abs = path.resolve(root);
  return {
    root: abs,
    registry: path.join(abs, 'registry'),
    gateway: path.join(abs, 'gateway'),
    nodeDataDir: abs,
    redis: path.join(abs, 'redis'),
    logs: path.join(abs, 'logs'),
    run: path.join(abs, 'run'),
    internalTokenFile: path.join(abs, 'internal-token'),
    nodeIdFile: path.join(abs, 'node-id'),
    lockFile: path.join(abs, 'run', 'up.pid'),
  };
}

/** Creates the data dir and its folders, owner-only: it holds the databases and a shared secret. */
export function prepareLayout(layout: UpLayout): void {
  for (const dir of [layout.root, layout.registry, layout.gateway, layout.logs, layout.run]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}

/**
 * Reads a value kept in a one-line file, or creates the file (mode 0600, never overwriting a file
 * another process made meanwhile) with `create()`'s value. Returns the value and whether this call made it.
 * @throws Error when the file exists but is empty or unreadable
 */
export function readOrCreateValue(file: string, create: () => string): { value: string; created: boolean } {
  try {
    fs.writeFileSync(file, `${create()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value === '') throw new Error(`${file} is empty; delete it to have a new one made`);
    return { value, created: false };
  }
  return { value: fs.readFileSync(file, 'utf8').trim(), created: true };
}

/** The internal token every service of this data dir shares (x-aiaas-internal-token), made on first start. */
export function internalToken(layout: UpLayout): { value: string; created: boolean } {
  return readOrCreateValue(layout.internalTokenFile, () => randomBytes(32).toString('base64url'));
}

/** The inference node's id: the same across restarts, so the registry gives it back its replicas and it reuses its cache. */
export function nodeId(layout: UpLayout): string {
  return readOrCreateValue(layout.nodeIdFile, () => `local-${randomBytes(4).toString('hex')}`).value;
}

/** An admin key in the gateway's `aiaas_<id>_<secret>` format, for AIAAS_BOOTSTRAP_ADMIN_KEY on first start. */
export function newAdminKey(): string {
  return `aiaas_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
}

/** Whether a process with this pid exists (and is ours to signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data dir for this process: one `aiaas up` per data dir, since two would share (and
 * corrupt) the same databases. A lock left by a process that is gone is taken over.
 * @throws Error naming the pid of the `aiaas up` that holds it
 */
export function acquireLock(layout: UpLayout, pid = process.pid): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(layout.lockFile, `${pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(layout.lockFile, 'utf8').trim() === String(pid)) fs.unlinkSync(layout.lockFile);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(layout.lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) {
        throw new Error(
          `another aiaas up (pid ${holder}) is using ${layout.root}; stop it first, or give this one its own --data-dir`,
        );
      }
      fs.rmSync(layout.lockFile, { force: true });
    }
  }
  throw new Error(`could not take ${layout.lockFile}; is another aiaas up starting on ${layout.root}?`);
}

/** Records a service's pid in `run/<service>.pid` (tests and scripts find a child there). */
export function writePidFile(layout: UpLayout, service: string, pid: number): void {
  fs.writeFileSync(path.join(layout.run, `${service}.pid`), `${pid}\n`, { mode: 0o600 });
}

export function removePidFile(layout: UpLayout, service: string): void {
  fs.rmSync(path.join(layout.run, `${service}.pid`), { force: true });
}

/**
 * Kills children a previous `aiaas up` left running when it was itself killed (SIGKILL gives it
 * no chance to stop them): each `run/<service>.pid` whose process still runs from this data dir.
 * Returns the services it stopped.
 */
export async function killLeftovers(layout: UpLayout, timeoutMs = 10_000): Promise<string[]> {
  const killed: string[] = [];
  const pids: number[] = [];
  let files: string[];
  try {
    files = fs.readdirSync(layout.run).filter((f) => f.endsWith('.pid') && f !== 'up.pid');
  } catch {
    return killed;
  }
  for (const file of files) {
    const pid = Number(fs.readFileSync(path.join(layout.run, file), 'utf8').trim());
    fs.rmSync(path.join(layout.run, file), { force: true });
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !startedFrom(pid, layout.root)) continue;
    try {
      process.kill(-pid, 'SIGKILL');
      killed.push(path.basename(file, '.pid'));
      pids.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  // Their ports are free only once they are gone.
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return killed;
}

/** Set on every child: how a leftover is told from an unrelated process that reused its pid. */
export const DATA_DIR_ENV = 'AIAAS_UP_DATA_DIR';

/**
 * Linux: whether the process carries this data dir in its environment, or works inside it (Redis
 * chdirs to its --dir and overwrites its environment block with its process title). A reused pid
 * will do neither. Elsewhere: unknown, so no.
 */
function startedFrom(pid: number, root: string): boolean {
  try {
    if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${DATA_DIR_ENV}=${root}`)) return true;
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    return cwd === root || cwd.startsWith(`${root}${path.sep}`);
  } catch {
    return false;
  }
}
