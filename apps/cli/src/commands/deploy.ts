import type { Command } from 'commander';
import { isAiaasError } from '@aiaas/client';
import type { AiaasClient, CreateDeploymentRequest, Deployment, DeploymentSpec } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseDurationSeconds, parseIntFlag } from '../flag-parsers';
import { formatModelTarget, parseModelTarget } from '../model-target';
import { formatBytes, formatFields, formatTable } from '../output';
import { allPages, listAllVersions } from './models';

interface DeployFlags extends CommonFlags {
  name?: string;
  replicas?: string;
  maxBatch?: string;
  maxDelayUs?: string;
  device?: string;
  wait: boolean;
  timeout: string;
}

/** The deployment's desired state from the flags given (only those: an update changes no others). */
export function deploymentSpec(flags: Omit<DeployFlags, 'wait' | 'timeout'>): DeploymentSpec {
  const spec: DeploymentSpec = {};
  if (flags.replicas !== undefined) spec.replicas = parseIntFlag(flags.replicas, '--replicas', 0, 1000);
  const batching: NonNullable<DeploymentSpec['batching']> = {};
  if (flags.maxBatch !== undefined) batching.max_batch_size = parseIntFlag(flags.maxBatch, '--max-batch', 0, 1 << 20);
  if (flags.maxDelayUs !== undefined) {
    batching.max_queue_delay_microseconds = parseIntFlag(flags.maxDelayUs, '--max-delay-us', 0, 60_000_000);
  }
  if (Object.keys(batching).length > 0) spec.batching = batching;
  if (flags.device !== undefined) {
    if (flags.device !== 'cpu' && flags.device !== 'gpu') {
      throw new Error(`--device "${flags.device}": expected cpu or gpu`);
    }
    spec.device = flags.device;
  }
  return spec;
}

function replicaRows(deployment: Deployment): unknown[][] {
  return deployment.replica_status.map((r) => [r.node_id, r.address, r.version, r.state, r.reason]);
}

const readyCount = (d: Deployment): number =>
  d.replica_status.filter((r) => r.state === 'READY' && r.version === d.target_version).length;

function describeDeployment(d: Deployment): string {
  const follows = d.alias !== '' ? `${d.model}@${d.alias}` : `${d.model}:${d.version}`;
  const batching =
    d.batching === undefined || d.batching.max_batch_size === 0
      ? 'off'
      : `max batch ${d.batching.max_batch_size}, max delay ${d.batching.max_queue_delay_microseconds} µs`;
  return (
    formatFields([
      ['deployment', d.name],
      ['serves', `${follows} (target v${d.target_version})`],
      ['replicas', `${readyCount(d)}/${d.replicas} ready`],
      ['batching', batching],
      ['device', d.device],
      ['memory', d.memory_estimate_bytes === 0 ? 'estimated from the artifact' : formatBytes(d.memory_estimate_bytes)],
    ]) +
    (d.replica_status.length === 0
      ? ''
      : `\n${formatTable(['NODE', 'ADDRESS', { header: 'VERSION', align: 'right' }, 'STATE', 'REASON'], replicaRows(d))}`)
  );
}

/** `aiaas deploy` and `aiaas deployments ls | rm`. */
export function registerDeployCommands(program: Command, context: CliContext): void {
  addConnectionOptions(
    addJsonOption(
      program
        .command('deploy')
        .description('Serve a model: create (or change) a deployment and wait until its replicas are ready')
        .argument('<model>', 'NAME@ALIAS (follows the alias), NAME:VERSION (pinned), or NAME (pins the latest version)')
        .option('--name <deployment>', 'deployment name (default: the model name)')
        .option('--replicas <n>', 'replicas on distinct nodes (default 1)')
        .option('--max-batch <n>', 'dynamic batching: largest batch (0 = off)')
        .option('--max-delay-us <us>', 'dynamic batching: longest a request waits for a batch, in µs')
        .option('--device <device>', 'cpu or gpu')
        .option('--no-wait', 'return once the deployment is recorded, without waiting for ready replicas')
        .option('--timeout <duration>', 'how long to wait for ready replicas (e.g. 90s, 5m)', '120s'),
    ),
  ).action(async (ref: string, flags: DeployFlags) => {
    const target = parseModelTarget(ref);
    const spec = deploymentSpec(flags);
    const timeoutSeconds = parseDurationSeconds(flags.timeout, '--timeout');
    await withClient(flags, context, async (client) => {
      const pinned =
        target.alias === undefined ? (target.version ?? (await latestVersion(client, target.name))) : undefined;
      const name = flags.name ?? target.name;
      const request: CreateDeploymentRequest = {
        model: target.name,
        name,
        replicas: 1,
        ...spec,
        ...(target.alias === undefined ? { version: pinned! } : { alias: target.alias }),
      };
      let deployment: Deployment;
      let verb = 'created';
      try {
        deployment = await client.deployments.create(request);
      } catch (err) {
        if (!isAiaasError(err) || err.code !== 'ALREADY_EXISTS') throw err;
        // Deploying again changes the existing deployment: the flags given, and what it serves.
        const existing = await client.deployments.get(name);
        if (existing.model !== target.name) {
          throw new Error(`deployment ${name} already serves model ${existing.model}; choose another --name`);
        }
        // Only what the flags say: an unset --replicas keeps the deployment's count.
        const update = { ...spec, ...(target.alias === undefined ? { version: pinned! } : { alias: target.alias }) };
        // Setting one of alias and version clears the other (the registry's update rule).
        deployment = await client.deployments.update(name, update);
        verb = 'updated';
      }
      if (flags.wait) {
        context.stderr.write(
          `deployment ${name} ${verb} (${formatModelTarget(target.alias === undefined ? { name: target.name, version: pinned! } : target)}); waiting for ${deployment.replicas} ready replica(s)...\n`,
        );
        try {
          deployment = await client.deployments.waitReady(name, { deadlineMs: timeoutSeconds * 1000 });
        } catch (err) {
          if (isAiaasError(err) && err.code === 'DEADLINE_EXCEEDED') {
            const now = await client.deployments.get(name).catch(() => deployment);
            const reasons = now.replica_status
              .filter((r) => r.state !== 'READY')
              .map((r) => `${r.node_id || 'unplaced'}: ${r.state}${r.reason === '' ? '' : ` (${r.reason})`}`);
            throw new Error(
              `deployment ${name} not ready after ${flags.timeout}: ${readyCount(now)}/${now.replicas} replicas ready${reasons.length === 0 ? '' : `; ${reasons.join('; ')}`}`,
            );
          }
          throw err;
        }
      }
      printData(context, flags, deployment, () => describeDeployment(deployment));
    });
  });

  const deployments = program.command('deployments').description('List and delete deployments');
  addConnectionOptions(
    addJsonOption(
      deployments
        .command('ls')
        .description('List your deployments and how many replicas are ready')
        .option('--model <name>', 'only this model’s deployments'),
    ),
  ).action(async (flags: CommonFlags & { model?: string }) => {
    await withClient(flags, context, async (client) => {
      const list = await allPages(async (page_token) => {
        const page = await client.deployments.list({
          page_size: 1000,
          page_token,
          ...(flags.model === undefined ? {} : { model: flags.model }),
        });
        return { items: page.deployments, next: page.next_page_token };
      });
      printData(context, flags, { deployments: list }, () =>
        list.length === 0
          ? 'no deployments\n'
          : formatTable(
              [
                'NAME',
                'MODEL',
                'FOLLOWS',
                { header: 'TARGET', align: 'right' },
                { header: 'READY', align: 'right' },
                'DEVICE',
                'BATCHING',
              ],
              list.map((d) => [
                d.name,
                d.model,
                d.alias === '' ? `v${d.version}` : `@${d.alias}`,
                d.target_version,
                `${readyCount(d)}/${d.replicas}`,
                d.device,
                d.batching === undefined || d.batching.max_batch_size === 0
                  ? 'off'
                  : `${d.batching.max_batch_size}/${d.batching.max_queue_delay_microseconds}µs`,
              ]),
            ),
      );
    });
  });

  addConnectionOptions(
    deployments.command('rm').description('Delete a deployment (its replicas are unloaded)').argument('<name>'),
  ).action(async (name: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      await client.deployments.remove(name);
      context.stdout.write(`deleted deployment ${name}\n`);
    });
  });
}

async function latestVersion(client: AiaasClient, model: string): Promise<number> {
  const versions = await listAllVersions(client, model);
  if (versions.length === 0) throw new Error(`model ${model} has no versions; push one first ("aiaas models push")`);
  return Math.max(...versions.map((v) => v.version));
}
