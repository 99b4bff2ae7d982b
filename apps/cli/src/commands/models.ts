import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { isAiaasError } from '@aiaas/client';
import type { AiaasClient, Model, Version } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseIntFlag } from '../flag-parsers';
import { ProgressBar, formatBytes, formatFields, formatTable } from '../output';

interface PushFlags extends CommonFlags {
  name: string;
  alias?: string;
  tag: string[];
  description?: string;
}

interface ListFlags extends CommonFlags {
  tag?: string;
  prefix?: string;
}

interface RemoveFlags extends CommonFlags {
  version?: string;
  force?: boolean;
}

const collect = (value: string, all: string[] = []): string[] => [...all, value];

/** `key=value` flags as a record; throws naming the flag for a pair without `=`. */
export function parseKeyValues(pairs: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} "${pair}": expected KEY=VALUE`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

const shortSha = (sha: string): string => sha.slice(0, 12);
const keyValues = (record: Record<string, string>): string =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Every page of a paged list. */
export async function allPages<T>(
  fetch: (pageToken: string) => Promise<{ items: T[]; next: string }>,
  limit = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  let token = '';
  do {
    const page = await fetch(token);
    out.push(...page.items);
    token = page.next;
  } while (token !== '' && out.length < limit);
  return out;
}

/** All of a model's versions, oldest first. */
export function listAllVersions(client: AiaasClient, model: string): Promise<Version[]> {
  return allPages(async (page_token) => {
    const page = await client.models.versions(model, { page_size: 1000, page_token });
    return { items: page.versions, next: page.next_page_token };
  });
}

function versionRows(versions: readonly Version[]): unknown[][] {
  return versions.map((v) => [
    v.version,
    formatBytes(v.size_bytes),
    shortSha(v.sha256),
    (v.signature?.inputs ?? []).map((t) => `${t.name}:${t.datatype}[${t.shape.join(',')}]`).join(' '),
    v.aliases.join(','),
    v.lineage !== undefined && v.lineage.parent_version > 0
      ? `v${v.lineage.parent_version} ${v.lineage.passes.map((p) => p.name).join('+')}`
      : '',
    v.created_at,
  ]);
}

const VERSION_COLUMNS = [
  { header: 'VERSION', align: 'right' as const },
  { header: 'SIZE', align: 'right' as const },
  'SHA256',
  'INPUTS',
  'ALIASES',
  'FROM',
  'CREATED',
];

/** `aiaas models`: push, ls, show, versions, rm. */
export function registerModelsCommand(program: Command, context: CliContext): void {
  const models = program.command('models').description('Push, list, inspect and delete models and their versions');

  addConnectionOptions(
    addJsonOption(
      models
        .command('push')
        .description('Upload an .onnx file as a new version (creating the model if missing), with a progress bar')
        .argument('<file>', 'the ONNX model file')
        .requiredOption('--name <model>', 'model name')
        .option('--alias <alias>', 'point this alias at the new version (e.g. production)')
        .option('--tag <key=value>', 'tag of the version (repeatable)', collect, [])
        .option('--description <text>', 'description of the model, when it is created'),
    ),
  ).action(async (file: string, flags: PushFlags) => {
    const tags = parseKeyValues(flags.tag, '--tag');
    let size: number;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new Error('not a regular file');
      size = stat.size;
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
    await withClient(flags, context, async (client) => {
      await ensureModel(client, flags.name, flags.description, tags);
      const bar = new ProgressBar({ label: `uploading ${file}`, total: size, stream: context.stderr });
      let version: Version;
      try {
        version = await client.models.upload(flags.name, file, {
          tags,
          sizeBytes: size,
          onProgress: (progress) => bar.update(progress.bytes, progress.totalBytes ?? size),
        });
      } catch (err) {
        bar.abort();
        throw err;
      }
      bar.finish('done');
      if (flags.alias !== undefined) {
        await client.models.setAlias(flags.name, flags.alias, version.version);
        version = { ...version, aliases: [...new Set([...version.aliases, flags.alias])] };
      }
      printData(context, flags, version, () =>
        formatFields([
          ['model', version.model],
          ['version', version.version],
          ['size', `${formatBytes(version.size_bytes)} (${version.size_bytes} bytes)`],
          ['sha256', version.sha256],
          ['aliases', version.aliases.join(', ')],
        ]),
      );
    });
  });

  addConnectionOptions(
    addJsonOption(
      models
        .command('ls')
        .description('List your models')
        .option('--tag <key=value>', 'only models with this tag')
        .option('--prefix <text>', 'only models whose name starts with this'),
    ),
  ).action(async (flags: ListFlags) => {
    await withClient(flags, context, async (client) => {
      const list = await allPages(async (page_token) => {
        const page = await client.models.list({
          page_size: 1000,
          page_token,
          ...(flags.tag === undefined ? {} : { tag: flags.tag }),
          ...(flags.prefix === undefined ? {} : { name_prefix: flags.prefix }),
        });
        return { items: page.models, next: page.next_page_token };
      });
      printData(context, flags, { models: list }, () =>
        list.length === 0
          ? 'no models\n'
          : formatTable(
              ['NAME', 'DESCRIPTION', 'TAGS', 'UPDATED'],
              list.map((m) => [m.name, m.description, keyValues(m.tags), m.updated_at]),
            ),
      );
    });
  });

  addConnectionOptions(
    addJsonOption(
      models.command('show').description('Show a model and its versions').argument('<model>', 'model name'),
    ),
  ).action(async (name: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const model = await client.models.get(name);
      const versions = await listAllVersions(client, name);
      printData(
        context,
        flags,
        { ...model, versions },
        () =>
          formatFields([
            ['name', model.name],
            ['description', model.description],
            ['tags', keyValues(model.tags)],
            ['metadata', keyValues(model.metadata)],
            ['created', model.created_at],
            ['updated', model.updated_at],
            ['versions', versions.length],
          ]) + (versions.length === 0 ? '' : `\n${formatTable(VERSION_COLUMNS, versionRows(versions))}`),
      );
    });
  });

  addConnectionOptions(
    addJsonOption(models.command('versions').description('List a model’s versions').argument('<model>', 'model name')),
  ).action(async (name: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const versions = await listAllVersions(client, name);
      printData(context, flags, { versions }, () =>
        versions.length === 0 ? `model ${name} has no versions\n` : formatTable(VERSION_COLUMNS, versionRows(versions)),
      );
    });
  });

  addConnectionOptions(
    models
      .command('rm')
      .description('Delete a model with all its versions and aliases, or one version')
      .argument('<model>', 'model name')
      .option('--version <n>', 'delete only this version')
      .option('--force', 'delete the model’s versions first (the registry keeps a model that has versions)'),
  ).action(async (name: string, flags: RemoveFlags) => {
    const version = flags.version === undefined ? undefined : parseIntFlag(flags.version, '--version', 1);
    if (version !== undefined && flags.force === true)
      throw new Error('--force deletes the whole model: drop --version');
    await withClient(flags, context, async (client) => {
      if (version === undefined) {
        if (flags.force === true) {
          // Newest first: a derived version goes before the one it came from.
          const versions = await listAllVersions(client, name);
          for (const v of versions.sort((a, b) => b.version - a.version))
            await client.models.removeVersion(name, v.version);
        }
        try {
          await client.models.remove(name);
        } catch (err) {
          if (isAiaasError(err) && err.code === 'FAILED_PRECONDITION' && flags.force !== true) {
            throw new Error(`${err.message} (or use --force to delete its versions too)`);
          }
          throw err;
        }
        context.stdout.write(`deleted model ${name}\n`);
      } else {
        await client.models.removeVersion(name, version);
        context.stdout.write(`deleted ${name}:${version}\n`);
      }
    });
  });
}

/** Creates the model when it does not exist yet (with the description and tags given). */
async function ensureModel(
  client: AiaasClient,
  name: string,
  description: string | undefined,
  tags: Record<string, string>,
): Promise<Model> {
  try {
    return await client.models.get(name);
  } catch (err) {
    if (!isAiaasError(err) || err.code !== 'NOT_FOUND') throw err;
  }
  try {
    return await client.models.create({ name, tags, ...(description === undefined ? {} : { description }) });
  } catch (err) {
    // Created meanwhile by someone else: fine, it exists.
    if (isAiaasError(err) && err.code === 'ALREADY_EXISTS') return client.models.get(name);
    throw err;
  }
}
