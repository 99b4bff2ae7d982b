import type { Command } from 'commander';
import { AiaasClient } from '@aiaas/client';
import type { AiaasClientOptions } from '@aiaas/client';
import { formatJson } from './output';
import type { OutputStream } from './output';
import { readProfile, resolveConnection } from './profile';
import type { Connection, ConnectionFlags } from './profile';

/**
 * What the user-facing commands write to and read from. The process's streams and environment in
 * use; tests give their own (commands never touch `process.*` directly).
 */
export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Home folder for the default config dir. @default os.homedir() */
  home?: string;
}

/** The process's streams and environment. */
export function processContext(): CliContext {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Flags every platform command has: the connection, and `--json` where it prints data. */
export interface CommonFlags extends ConnectionFlags {
  json?: boolean;
}

/** Adds `--url`, `--key` and `--grpc` (overrides of the profile and AIAAS_URL / AIAAS_API_KEY). */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--url <url>', 'gateway REST URL (default: AIAAS_URL, else the profile from "aiaas login")')
    .option('--key <key>', 'API key (default: AIAAS_API_KEY, else the profile)')
    .option('--grpc <host:port>', 'gateway gRPC address (default: the profile, else asked from the gateway)');
}

/** Adds `--json`: print the data as JSON on stdout instead of a table. */
export function addJsonOption(command: Command): Command {
  return command.option('--json', 'print JSON (for scripts) instead of a table');
}

/** The connection for `flags`: flags, then environment, then the saved profile. */
export async function resolveFlags(flags: ConnectionFlags, context: CliContext): Promise<Connection> {
  const profile = await readProfile(context.env, context.home);
  return resolveConnection(flags, context.env, profile);
}

/** The SDK options for a connection. */
export function clientOptions(connection: Connection, extra: Partial<AiaasClientOptions> = {}): AiaasClientOptions {
  return {
    url: connection.url,
    ...(connection.apiKey === undefined ? {} : { apiKey: connection.apiKey }),
    ...(connection.grpcAddress === undefined ? {} : { grpcAddress: connection.grpcAddress }),
    ...extra,
  };
}

/**
 * Runs `body` with an SDK client for the command's connection and closes the client afterwards
 * (its gRPC channel would otherwise keep the process alive).
 */
export async function withClient<T>(
  flags: ConnectionFlags,
  context: CliContext,
  body: (client: AiaasClient) => Promise<T>,
  extra?: Partial<AiaasClientOptions>,
): Promise<T> {
  const connection = await resolveFlags(flags, context);
  if (connection.apiKey === undefined) {
    throw new Error('no API key: run "aiaas login --url URL --key KEY", or pass --key, or set AIAAS_API_KEY');
  }
  const client = new AiaasClient(clientOptions(connection, extra));
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

/** Prints `value` as JSON when `--json` was given, else runs `human` (a table, fields, …). */
export function printData(context: CliContext, flags: CommonFlags, value: unknown, human: () => string): void {
  context.stdout.write(flags.json === true ? formatJson(value) : human());
}
