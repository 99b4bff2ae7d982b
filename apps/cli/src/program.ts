import { Command, CommanderError } from 'commander';
import { processContext } from './cli-context';
import type { CliContext } from './cli-context';
import { registerAliasCommand } from './commands/alias';
import { registerBenchCommand } from './commands/bench';
import { registerDeployCommands } from './commands/deploy';
import { registerGatewayCommand } from './commands/gateway';
import { registerInferCommand } from './commands/infer';
import { registerJobsCommand } from './commands/jobs';
import { registerKeysCommand } from './commands/keys';
import { registerLoginCommand } from './commands/login';
import { registerModelsCommand } from './commands/models';
import { registerNodeCommand } from './commands/node';
import { registerNodesCommand } from './commands/nodes';
import { registerRegistryCommand } from './commands/registry';
import { registerUpCommand } from './commands/up';
import { registerWorkerCommand } from './commands/worker';
import { CliError, formatError } from './output';

/**
 * Commander's own errors (unknown option, missing argument) as one line like every other error:
 * `aiaas: unknown option '--x' (see "aiaas models push --help")`.
 */
export function formatUsageError(text: string, command: string): string {
  const message = text.trim().replace(/^error:\s*/, '');
  return `aiaas: ${message} (see "${command} --help")\n`;
}

const commandPath = (command: Command): string => {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/**
 * The `aiaas` command line: the one entry point for users and for deploy/. Each subcommand
 * lives in commands/ and only wires flags to a service, a library or the SDK (@aiaas/client).
 */
export function createProgram(context: CliContext = processContext()): Command {
  const program = new Command('aiaas')
    .description('Models as a service: serve, register and optimize ONNX models')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // Replaced per command below, so the hint names the command that failed.
      outputError: (text, write) => write(formatUsageError(text, 'aiaas')),
    });
  registerLoginCommand(program, context);
  registerModelsCommand(program, context);
  registerAliasCommand(program, context);
  registerDeployCommands(program, context);
  registerInferCommand(program, context);
  registerJobsCommand(program, context);
  registerKeysCommand(program, context);
  registerNodesCommand(program, context);
  registerBenchCommand(program, context);
  registerUpCommand(program);
  registerGatewayCommand(program);
  registerNodeCommand(program);
  registerRegistryCommand(program);
  registerWorkerCommand(program);
  const configure = (command: Command): void => {
    command.configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: (text, write) => write(formatUsageError(text, commandPath(command))),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * Parses argv and runs the command; errors print one line (`aiaas: …`) and exit non-zero, after
 * `beforeExit` (main passes the flush of the command's trace, whose failed span matters most).
 */
export async function runCli(
  argv: string[],
  context: CliContext = processContext(),
  beforeExit: () => Promise<void> = async () => {},
): Promise<void> {
  const program = createProgram(context);
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Commander printed its own message already (usage errors, --help, --version).
    if (!(err instanceof CommanderError)) context.stderr.write(`${formatError(err)}\n`);
    await beforeExit();
    process.exit(err instanceof CommanderError || err instanceof CliError ? err.exitCode : 1);
  }
}
