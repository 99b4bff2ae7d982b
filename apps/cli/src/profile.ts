import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * What `aiaas login` saves: where the gateway is and the API key to call it with. Field names are
 * snake_case like the rest of the platform's JSON (CONTRACT.md: the `aiaas up` helper reads it too).
 */
export interface Profile {
  /** Gateway REST base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** API key, `aiaas_<id>_<secret>`. */
  key: string;
  /** Gateway gRPC address `host:port`; absent = discovered with GET /v1/info. */
  grpc_address?: string;
}

/** The platform connection a command uses, after flags, environment and profile are merged. */
export interface Connection {
  url: string;
  apiKey?: string;
  grpcAddress?: string;
}

/** Connection flags every command that talks to the platform takes. */
export interface ConnectionFlags {
  url?: string;
  key?: string;
  grpc?: string;
}

/** Name of the profile file inside the config folder. */
export const PROFILE_FILE = 'config.json';

const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;

const PROFILE_SCHEMA = z.object({
  url: z.string().min(1),
  key: z.string().min(1),
  grpc_address: z.string().regex(HOST_PORT).optional(),
});

/**
 * The folder holding the profile: `$AIAAS_CONFIG_DIR`, else `$XDG_CONFIG_HOME/aiaas`, else
 * `~/.config/aiaas`.
 */
export function configDir(env: NodeJS.ProcessEnv, home: string = os.homedir()): string {
  const explicit = env['AIAAS_CONFIG_DIR'];
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const xdg = env['XDG_CONFIG_HOME'];
  return path.join(xdg !== undefined && xdg !== '' ? path.resolve(xdg) : path.join(home, '.config'), 'aiaas');
}

/** The profile file's path (see {@link configDir}). */
export function profilePath(env: NodeJS.ProcessEnv, home?: string): string {
  return path.join(configDir(env, home), PROFILE_FILE);
}

/**
 * Checks a gateway URL: http(s) with a host and nothing after the path. Returns it without a
 * trailing slash so that `${url}/v1/...` is right.
 */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid gateway URL "${url}": expected http(s)://HOST:PORT, e.g. http://127.0.0.1:8080`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`invalid gateway URL "${url}": expected an http:// or https:// URL, got ${parsed.protocol}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new Error(`invalid gateway URL "${url}": expected no query or fragment`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

/** Checks a `host:port` gRPC address. */
export function checkGrpcAddress(address: string): string {
  if (!HOST_PORT.test(address)) {
    throw new Error(`invalid gRPC address "${address}": expected HOST:PORT, e.g. 127.0.0.1:8081`);
  }
  return address;
}

/** Reads the saved profile; undefined when there is none, an error naming the file when it is unreadable. */
export async function readProfile(env: NodeJS.ProcessEnv, home?: string): Promise<Profile | undefined> {
  const file = profilePath(env, home);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read the profile ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the profile ${file} is not JSON (${(err as Error).message}); run "aiaas login" again`);
  }
  const parsed = PROFILE_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`the profile ${file} is invalid (${problems}); run "aiaas login" again`);
  }
  return parsed.data;
}

/**
 * Saves the profile with the key readable by its owner only: the folder is made (or narrowed to)
 * mode 0700 and the file written as 0600 under a temporary name, then renamed over the old one, so
 * that a reader never sees half a file and the secret is never world-readable, even briefly.
 * Returns the file's path.
 */
export async function writeProfile(profile: Profile, env: NodeJS.ProcessEnv, home?: string): Promise<string> {
  const dir = configDir(env, home);
  const file = path.join(dir, PROFILE_FILE);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to a folder it creates (and goes through the umask): set it.
  await fs.chmod(dir, 0o700);
  const temp = path.join(dir, `.${PROFILE_FILE}.${process.pid}.tmp`);
  const body: Profile = {
    url: profile.url,
    key: profile.key,
    ...(profile.grpc_address === undefined ? {} : { grpc_address: profile.grpc_address }),
  };
  try {
    await fs.writeFile(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return file;
}

/**
 * The connection to use: each of URL, key and gRPC address from its flag, else the environment
 * (`AIAAS_URL`, `AIAAS_API_KEY`, `AIAAS_GRPC_ADDRESS`), else the saved profile. A URL is required;
 * without one the error says how to give it.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  profile: Profile | undefined,
): Connection {
  const pick = (...values: (string | undefined)[]): string | undefined =>
    values.find((value) => value !== undefined && value !== '');
  const url = pick(flags.url, env['AIAAS_URL'], profile?.url);
  if (url === undefined) {
    throw new Error('no gateway URL: run "aiaas login --url URL --key KEY", or pass --url, or set AIAAS_URL');
  }
  const apiKey = pick(flags.key, env['AIAAS_API_KEY'], profile?.key);
  // A profile's gRPC address belongs to the profile's URL: not used for another gateway.
  const urlFromProfile = flags.url === undefined && pick(env['AIAAS_URL']) === undefined;
  const grpcAddress = pick(flags.grpc, env['AIAAS_GRPC_ADDRESS'], urlFromProfile ? profile?.grpc_address : undefined);
  return {
    url: normalizeUrl(url),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(grpcAddress === undefined ? {} : { grpcAddress: checkGrpcAddress(grpcAddress) }),
  };
}
