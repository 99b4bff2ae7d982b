import type { Command } from 'commander';
import { createProgram } from './program';

describe('aiaas CLI', () => {
  it('lists the node command with its flags in --help', () => {
    const program = createProgram();
    expect(program.helpInformation()).toMatch(/node \[options\]/);
    const node = program.commands.find((c) => c.name() === 'node')!;
    const help = node.helpInformation();
    for (const flag of ['--model-repository', '--grpc-port', '--metrics-port', '--host', '--demo'])
      expect(help).toContain(flag);
  });

  it('refuses to start a node without a model repository, saying what is missing', async () => {
    const program = createProgram().exitOverride();
    await expect(program.parseAsync(['node', 'aiaas', 'node'])).rejects.toThrow(
      /a model repository folder is required \(--model-repository DIR\)/,
    );
  });

  it('refuses --demo together with --model-repository', async () => {
    const program = createProgram().exitOverride();
    await expect(program.parseAsync(['node', 'aiaas', 'node', '--demo', '--model-repository', '/tmp'])).rejects.toThrow(
      /--demo builds its own model repository/,
    );
  });
});

describe('aiaas user commands', () => {
  const leaves = (command: Command): Command[] =>
    command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
  const path = (command: Command): string => {
    const names: string[] = [];
    for (let c: Command | null = command; c !== null && c.parent !== null; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  };
  const SERVICES = new Set(['node', 'registry', 'gateway', 'worker', 'up']);

  it('gives every platform command a description, connection flags, and --json where it prints data', () => {
    const program = createProgram();
    const commands = leaves(program).filter((c) => !SERVICES.has(path(c)));
    expect(commands.map(path).sort()).toEqual(
      [
        'alias set',
        'bench',
        'deploy',
        'deployments ls',
        'deployments rm',
        'infer',
        'jobs cancel',
        'jobs ls',
        'jobs show',
        'jobs submit',
        'keys create',
        'keys ls',
        'keys revoke',
        'login',
        'models ls',
        'models push',
        'models rm',
        'models show',
        'models versions',
        'nodes ls',
      ].sort(),
    );
    const withoutJson = new Set(['login', 'models rm', 'deployments rm']);
    for (const command of commands) {
      const help = command.helpInformation();
      expect(command.description()).not.toBe('');
      for (const flag of ['--url', '--key', '--grpc']) expect(help).toContain(flag);
      if (!withoutJson.has(path(command))) expect(help).toContain('--json');
    }
  });

  it('prints usage errors as one line naming the command', async () => {
    const out: string[] = [];
    const context = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => out.push(t) },
      env: {},
    };
    const program = createProgram(context);
    const exitOverride = (command: Command): void => {
      command.exitOverride();
      command.commands.forEach(exitOverride);
    };
    exitOverride(program);
    await expect(program.parseAsync(['node', 'aiaas', 'models', 'ls', '--nope'])).rejects.toThrow(/unknown option/);
    expect(out).toEqual([`aiaas: unknown option '--nope' (see "aiaas models ls --help")\n`]);
  });

  it('refuses a platform command without a gateway URL, saying how to log in', async () => {
    const program = createProgram({
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: { AIAAS_CONFIG_DIR: '/nonexistent/aiaas-config' },
    });
    await expect(program.parseAsync(['node', 'aiaas', 'nodes', 'ls'])).rejects.toThrow(
      /no gateway URL: run "aiaas login --url URL --key KEY"/,
    );
  });
});
