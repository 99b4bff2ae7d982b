import type { Command } from 'commander';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { formatBytes, formatTable } from '../output';

/** `aiaas nodes ls` (admin scope): inference nodes, their memory and replicas. */
export function registerNodesCommand(program: Command, context: CliContext): void {
  const nodes = program.command('nodes').description('Inference nodes (needs an admin key)');
  addConnectionOptions(
    addJsonOption(nodes.command('ls').description('List inference nodes, their memory, devices and replicas')),
  ).action(async (flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const list = await client.nodes.list();
      printData(context, flags, { nodes: list }, () =>
        list.length === 0
          ? 'no nodes\n'
          : formatTable(
              [
                'NODE',
                'ADDRESS',
                'STATE',
                'DEVICES',
                { header: 'MEMORY', align: 'right' },
                { header: 'RESERVED', align: 'right' },
                'REPLICAS',
                'LAST HEARTBEAT',
              ],
              list.map((n) => [
                n.node_id,
                n.address,
                n.state,
                n.devices.join(','),
                formatBytes(n.memory_bytes),
                formatBytes(n.memory_reserved_bytes),
                n.replicas.map((r) => `${r.served_name}:${r.version} ${r.state}`).join(', '),
                n.last_heartbeat_at,
              ]),
            ),
      );
    });
  });
}
