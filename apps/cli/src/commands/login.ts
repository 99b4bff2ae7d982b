import type { Command } from 'commander';
import { AiaasClient, isAiaasError } from '@aiaas/client';
import { clientOptions } from '../cli-context';
import type { CliContext } from '../cli-context';
import { checkGrpcAddress, normalizeUrl, writeProfile } from '../profile';

interface LoginFlags {
  url?: string;
  key?: string;
  grpc?: string;
}

/**
 * `aiaas login`: checks the key against the gateway with one authenticated call, then saves URL
 * and key in the profile (mode 0600) for every later command.
 */
export function registerLoginCommand(program: Command, context: CliContext): void {
  program
    .command('login')
    .description('Check an API key against a gateway and save both in your profile (file mode 0600)')
    .requiredOption('--url <url>', 'gateway REST URL, e.g. http://127.0.0.1:8080')
    .requiredOption('--key <key>', 'API key (aiaas_...)')
    .option('--grpc <host:port>', 'gateway gRPC address (default: asked from the gateway when needed)')
    .addHelpText(
      'after',
      '\nThe profile is $AIAAS_CONFIG_DIR/config.json (default ${XDG_CONFIG_HOME:-~/.config}/aiaas/config.json).\n' +
        'AIAAS_URL / AIAAS_API_KEY and --url / --key on any command override it.',
    )
    .action(async (flags: LoginFlags) => {
      const url = normalizeUrl(flags.url!);
      const key = flags.key!;
      const grpcAddress = flags.grpc === undefined ? undefined : checkGrpcAddress(flags.grpc);
      const client = new AiaasClient(
        clientOptions({ url, apiKey: key, ...(grpcAddress === undefined ? {} : { grpcAddress }) }, { retries: 1 }),
      );
      let note = '';
      try {
        // One authenticated call: a refused key fails here, before anything is saved.
        await client.models.list({ page_size: 1 });
      } catch (err) {
        // Authenticated but without models:read (an infer-only key): the key itself is good.
        if (!(isAiaasError(err) && err.code === 'PERMISSION_DENIED')) {
          throw new Error(`login to ${url} failed, nothing saved: ${(err as Error).message}`);
        }
        note = ' (this key may not list models: it lacks the models:read scope)';
      } finally {
        client.close();
      }
      const file = await writeProfile(
        { url, key, ...(grpcAddress === undefined ? {} : { grpc_address: grpcAddress }) },
        context.env,
        context.home,
      );
      context.stdout.write(`logged in to ${url}${note}; saved to ${file}\n`);
    });
}
