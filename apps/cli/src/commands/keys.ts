import type { Command } from 'commander';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseDurationSeconds } from '../flag-parsers';
import { formatFields, formatTable } from '../output';

interface CreateFlags extends CommonFlags {
  tenant: string;
  scopes: string;
  expiresIn?: string;
  name?: string;
}

const SCOPES = ['infer', 'models:read', 'models:write', 'deploy', 'jobs:read', 'jobs:write', 'admin'];

/** `infer,models:read` (commas or spaces) as a list, each checked against the known scopes. */
export function parseScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter((s) => s !== '');
  if (scopes.length === 0) throw new Error(`--scopes: expected some of ${SCOPES.join(', ')}`);
  const unknown = scopes.filter((s) => !SCOPES.includes(s));
  if (unknown.length > 0) {
    throw new Error(`--scopes: unknown scope(s) ${unknown.join(', ')}; expected some of ${SCOPES.join(', ')}`);
  }
  return [...new Set(scopes)];
}

/** `aiaas keys create | ls | revoke` (admin scope). */
export function registerKeysCommand(program: Command, context: CliContext, now: () => number = Date.now): void {
  const keys = program.command('keys').description('Create, list and revoke API keys (needs an admin key)');

  addConnectionOptions(
    addJsonOption(
      keys
        .command('create')
        .description('Create an API key; the key is printed once and never again')
        .requiredOption('--tenant <tenant>', 'the tenant the key acts for')
        .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`)
        .option('--expires-in <duration>', 'lifetime, e.g. 30d, 12h (default: no expiry)')
        .option('--name <name>', 'a label shown by "aiaas keys ls"'),
    ),
  ).action(async (flags: CreateFlags) => {
    const scopes = parseScopes(flags.scopes);
    const expiresAt =
      flags.expiresIn === undefined
        ? undefined
        : new Date(now() + parseDurationSeconds(flags.expiresIn, '--expires-in') * 1000).toISOString();
    await withClient(flags, context, async (client) => {
      const created = await client.keys.create({
        tenant: flags.tenant,
        scopes,
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      });
      printData(
        context,
        flags,
        created,
        () =>
          `${created.key}\n` +
          formatFields([
            ['id', created.id],
            ['tenant', created.tenant],
            ['scopes', created.scopes.join(' ')],
            ['expires', created.expires_at ?? 'never'],
          ]) +
          'The key above is shown only now: store it safely.\n',
      );
    });
  });

  addConnectionOptions(
    addJsonOption(
      keys
        .command('ls')
        .description('List API keys (never their secrets)')
        .option('--tenant <tenant>', 'only this tenant’s'),
    ),
  ).action(async (flags: CommonFlags & { tenant?: string }) => {
    await withClient(flags, context, async (client) => {
      const list = await client.keys.list(flags.tenant === undefined ? {} : { tenant: flags.tenant });
      printData(context, flags, { keys: list }, () =>
        list.length === 0
          ? 'no keys\n'
          : formatTable(
              ['ID', 'TENANT', 'NAME', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED'],
              list.map((k) => [
                k.id,
                k.tenant,
                k.name,
                k.scopes.join(' '),
                k.created_at,
                k.expires_at ?? '',
                k.revoked_at ?? '',
              ]),
            ),
      );
    });
  });

  addConnectionOptions(
    addJsonOption(
      keys.command('revoke').description('Revoke an API key').argument('<id>', 'the key id (see "aiaas keys ls")'),
    ),
  ).action(async (id: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const key = await client.keys.revoke(id);
      printData(context, flags, key, () => `revoked key ${key.id} (${key.tenant}, ${key.name})\n`);
    });
  });
}
