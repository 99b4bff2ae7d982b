import { createProgram } from './program';

describe('aiaas CLI', () => {
  it('lists the node command with its flags in --help', () => {
    const program = createProgram();
    expect(program.helpInformation()).toMatch(/node \[options\]/);
    const node = program.commands.find((c) => c.name() === 'node')!;
    const help = node.helpInformation();
    for (const flag of ['--model-repository', '--grpc-port', '--metrics-port', '--host', '--demo']) expect(help).toContain(flag);
  });

  it('refuses to start a node without a model repository, saying what is missing', async () => {
    const program = createProgram().exitOverride();
    await expect(program.parseAsync(['node', 'aiaas', 'node'])).rejects.toThrow(/a model repository folder is required \(--model-repository DIR\)/);
  });

  it('refuses --demo together with --model-repository', async () => {
    const program = createProgram().exitOverride();
    await expect(program.parseAsync(['node', 'aiaas', 'node', '--demo', '--model-repository', '/tmp'])).rejects.toThrow(
      /--demo builds its own model repository/,
    );
  });
});
