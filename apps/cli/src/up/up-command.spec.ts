import { Command } from 'commander';
import { registerUpCommand } from '../commands/up';

describe('aiaas up (command line)', () => {
  const program = (): Command => {
    const root = new Command('aiaas').exitOverride();
    registerUpCommand(root);
    root.commands.forEach((c) => c.exitOverride());
    return root;
  };

  it('documents every port flag, --port-base, --data-dir and --demo in --help', () => {
    const help = program()
      .commands.find((c) => c.name() === 'up')!
      .helpInformation();
    for (const flag of [
      '--data-dir',
      '--demo',
      '--port-base',
      '--rest-port',
      '--grpc-port',
      '--gateway-metrics-port',
      '--registry-port',
      '--registry-metrics-port',
      '--node-port',
      '--node-metrics-port',
      '--worker-metrics-port',
      '--redis-port',
      '--no-profile',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it('rejects a bad port before starting anything, naming the flag', async () => {
    await expect(program().parseAsync(['node', 'aiaas', 'up', '--rest-port', 'eighty'])).rejects.toThrow(
      '--rest-port: expected a port number 1..65535, got "eighty"',
    );
    await expect(
      program().parseAsync(['node', 'aiaas', 'up', '--port-base', '8080', '--node-port', '8080']),
    ).rejects.toThrow(/port 8080 is given to both gateway REST, --rest-port and inference node gRPC, --node-port/);
  });
});
