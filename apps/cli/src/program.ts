import { Command, CommanderError } from 'commander';
import { registerGatewayCommand } from './commands/gateway';
import { registerNodeCommand } from './commands/node';
import { registerRegistryCommand } from './commands/registry';
import { registerWorkerCommand } from './commands/worker';

/**
 * The `aiaas` command line: the one entry point for users and for deploy/. Each subcommand
 * lives in commands/ and only wires flags to a service or library.
 */
export function createProgram(): Command {
  const program = new Command('aiaas')
    .description('Models as a service: serve, register and optimize ONNX models')
    .showHelpAfterError('(run with --help for usage)');
  registerGatewayCommand(program);
  registerNodeCommand(program);
  registerRegistryCommand(program);
  registerWorkerCommand(program);
  return program;
}

/** Parses argv and runs the command; errors print one line and exit non-zero. */
export async function runCli(argv: string[]): Promise<void> {
  const program = createProgram().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error(`aiaas: ${(err as Error).message}`);
    process.exit(1);
  }
}
