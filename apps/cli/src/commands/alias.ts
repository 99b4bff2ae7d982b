import type { Command } from 'commander';
import type { Alias } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseIntFlag } from '../flag-parsers';
import { parseModelTarget } from '../model-target';

interface AliasSetFlags extends CommonFlags {
  canary?: string;
  canaryPercent?: string;
}

/** `aiaas alias set N@A VERSION [--canary V --canary-percent P]`. */
export function registerAliasCommand(program: Command, context: CliContext): void {
  const alias = program.command('alias').description('Point model aliases (production, staging, ...) at versions');

  addConnectionOptions(
    addJsonOption(
      alias
        .command('set')
        .description('Point NAME@ALIAS at VERSION (deployments following the alias roll over to it)')
        .argument('<model@alias>', 'the model and alias, e.g. mlp@production')
        .argument('<version>', 'the version the alias points at')
        .option('--canary <version>', 'send a share of the alias’s traffic to this version')
        .option('--canary-percent <p>', 'the share of traffic the canary gets, 0..100 (with --canary)'),
    ),
  ).action(async (ref: string, versionText: string, flags: AliasSetFlags) => {
    const target = parseModelTarget(ref);
    if (target.alias === undefined) throw new Error(`"${ref}": expected NAME@ALIAS, e.g. mlp@production`);
    const version = parseIntFlag(versionText, 'VERSION', 1);
    if ((flags.canary === undefined) !== (flags.canaryPercent === undefined)) {
      throw new Error('--canary and --canary-percent go together: give both, or neither');
    }
    const canary =
      flags.canary === undefined
        ? {}
        : {
            canary_version: parseIntFlag(flags.canary, '--canary', 1),
            canary_percent: parseIntFlag(flags.canaryPercent!, '--canary-percent', 0, 100),
          };
    await withClient(flags, context, async (client) => {
      const answer: Alias = await client.models.setAlias(target.name, target.alias!, version, canary);
      printData(context, flags, answer, () => {
        const canaryText =
          (answer.canary_version ?? 0) > 0
            ? ` (canary v${answer.canary_version} at ${answer.canary_percent ?? 0}%)`
            : '';
        return `${answer.model}@${answer.alias} → v${answer.version}${canaryText}\n`;
      });
    });
  });
}
