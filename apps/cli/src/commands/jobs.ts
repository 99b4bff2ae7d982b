import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { AiaasClient, Job, JobEvent, JobPass, JobState, JobThresholds, SubmitJobRequest } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, printData, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseDurationSeconds, parseIntFlag, parseNumberFlag } from '../flag-parsers';
import { parseModelTarget } from '../model-target';
import { CliError, ProgressBar, formatBytes, formatFields, formatJson, formatTable } from '../output';
import type { OutputStream } from '../output';
import { allPages } from './models';

interface SubmitFlags extends CommonFlags {
  pass: string[];
  set: string[];
  minCosine?: string;
  maxAbsError?: string;
  maxMeanRelativeError?: string;
  minTop1Agreement?: string;
  aliasOnSuccess?: string;
  priority?: string;
  timeout?: string;
  dataset?: string;
  watch?: boolean;
}

interface ListFlags extends CommonFlags {
  model?: string;
  state?: string;
}

const collect = (value: string, all: string[] = []): string[] => [...all, value];

const PASS_NAMES = ['quantize-int8', 'fp16', 'fp16-weights', 'prune', 'graph-optimize', 'benchmark'];
const JOB_STATES: readonly JobState[] = ['queued', 'running', 'cancelling', 'completed', 'failed', 'cancelled'];
const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** A `--set` value: JSON when it parses (numbers, booleans, arrays, objects), else the text itself. */
function settingValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The passes of a job from `--pass NAME` (in order) and `--set PASS.KEY=VALUE` (a setting of every
 * pass with that name). A `--set` naming a pass not given is refused rather than dropped.
 */
export function buildPasses(names: readonly string[], sets: readonly string[]): JobPass[] {
  if (names.length === 0) {
    throw new Error(`give at least one --pass: ${PASS_NAMES.join(', ')}`);
  }
  const passes: JobPass[] = names.map((name) => ({ name, settings: {} }));
  for (const set of sets) {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(set);
    if (match === null) throw new Error(`--set "${set}": expected PASS.KEY=VALUE, e.g. quantize-int8.per_channel=true`);
    const [, pass, key, value] = match as unknown as [string, string, string, string];
    const targets = passes.filter((p) => p.name === pass);
    if (targets.length === 0) {
      throw new Error(`--set "${set}": no --pass ${pass} in this job (passes: ${names.join(', ')})`);
    }
    for (const target of targets) target.settings![key] = settingValue(value);
  }
  // graph-optimize needs a level: the portable one unless --set says otherwise.
  for (const pass of passes) {
    if (pass.name === 'graph-optimize' && pass.settings!['level'] === undefined) pass.settings!['level'] = 'basic';
  }
  return passes;
}

/** Thresholds from the flags given. */
export function buildThresholds(flags: SubmitFlags): JobThresholds | undefined {
  const thresholds: JobThresholds = {};
  if (flags.minCosine !== undefined) thresholds.min_cosine = parseNumberFlag(flags.minCosine, '--min-cosine');
  if (flags.maxAbsError !== undefined) thresholds.max_abs_error = parseNumberFlag(flags.maxAbsError, '--max-abs-error');
  if (flags.maxMeanRelativeError !== undefined) {
    thresholds.max_mean_relative_error = parseNumberFlag(flags.maxMeanRelativeError, '--max-mean-relative-error');
  }
  if (flags.minTop1Agreement !== undefined) {
    thresholds.min_top1_agreement = parseNumberFlag(flags.minTop1Agreement, '--min-top1-agreement');
  }
  return Object.keys(thresholds).length === 0 ? undefined : thresholds;
}

type Row = unknown[];

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const sizes = (before: number | undefined, after: number | undefined): string =>
  before === undefined || after === undefined ? '' : `${formatBytes(before)} → ${formatBytes(after)}`;

/**
 * The report table of a finished job: one row per pass (its size before → after), then the
 * validation row (lowest cosine and largest absolute error over the outputs, against the source)
 * with the new version. Figures absent from the report stay empty rather than guessed.
 */
export function formatJobReport(job: Job): string {
  const report = record(job.report) ?? {};
  const passes = Array.isArray(report['passes']) ? (report['passes'] as unknown[]) : [];
  const rows: Row[] = passes.map((p, i) => {
    const pass = record(p) ?? {};
    const name = typeof pass['pass'] === 'string' ? pass['pass'] : (job.passes[i]?.name ?? `pass ${i + 1}`);
    return [name, sizes(num(pass['sizeBefore']), num(pass['sizeAfter'])), '', '', ''];
  });
  const validation = record(report['validation']);
  const metrics = Object.values(record(validation?.['metrics']) ?? {}).map((m) => record(m) ?? {});
  const cosines = metrics.map((m) => num(m['cosine'])).filter((v): v is number => v !== undefined);
  const errors = metrics.map((m) => num(m['maxAbsError'])).filter((v): v is number => v !== undefined);
  rows.push([
    validation === undefined ? 'total' : `validation (${validation['passed'] === true ? 'passed' : 'failed'})`,
    sizes(num(report['sizeBefore']), num(report['sizeAfter'])),
    cosines.length === 0 ? '' : Math.min(...cosines).toFixed(6),
    errors.length === 0 ? '' : Math.max(...errors).toExponential(3),
    job.result_version > 0 ? `v${job.result_version}` : '',
  ]);
  return formatTable(
    [
      'PASS',
      'SIZE',
      { header: 'COSINE', align: 'right' },
      { header: 'MAX ABS ERR', align: 'right' },
      { header: 'NEW VERSION', align: 'right' },
    ],
    rows,
  );
}

function jobFields(job: Job): string {
  return formatFields([
    ['job', job.id],
    ['model', `${job.model}:${job.source_version}`],
    ['passes', job.passes.map((p) => p.name).join(' → ')],
    ['state', job.state],
    ['result', job.result_version > 0 ? `${job.model}:${job.result_version}` : ''],
    ['alias on success', job.alias_on_success],
    ['priority', job.priority],
    ['attempts', job.attempts],
    ['error', job.error],
    ['created', job.created_at],
    ['updated', job.updated_at],
  ]);
}

/**
 * Follows a job's events with a progress bar per pass (and one for validation and upload) on
 * `stream`, until a terminal event. Returns the last event.
 */
export async function watchJob(
  client: AiaasClient,
  job: Job,
  stream: OutputStream,
  signal?: AbortSignal,
): Promise<JobEvent | undefined> {
  const total = job.passes.length;
  let bar: ProgressBar | undefined;
  let last: JobEvent | undefined;
  let passesDone = 0;
  const steps = total + 2;
  const openBar = (label: string): ProgressBar => {
    bar?.abort();
    bar = new ProgressBar({ label, unit: 'percent', stream });
    bar.update(0);
    return bar;
  };
  try {
    for await (const event of client.jobs.watch(job.id, signal === undefined ? {} : { signal })) {
      last = event;
      switch (event.kind) {
        case 'queued':
          stream.write(`job ${job.id} queued\n`);
          break;
        case 'started':
          stream.write(`job ${job.id} started${event.message === '' ? '' : `: ${event.message}`}\n`);
          break;
        case 'pass_started':
          openBar(`[${event.pass_index + 1}/${total}] ${event.pass.padEnd(14)}`);
          break;
        case 'pass_finished': {
          const details = record(event.details) ?? {};
          const size = sizes(num(details['sizeBefore']), num(details['sizeAfter']));
          if (bar === undefined) openBar(`[${event.pass_index + 1}/${total}] ${event.pass.padEnd(14)}`);
          bar!.finish(size === '' ? 'done' : size, 100);
          bar = undefined;
          passesDone = event.pass_index + 1;
          if (passesDone === total) openBar(`[validate+upload] `.padEnd(`[${total}/${total}] `.length + 14));
          break;
        }
        case 'progress':
          // Overall percent: after the passes, the rest of it is validation and upload.
          if (bar !== undefined && passesDone === total) {
            const start = (total / steps) * 100;
            bar.update(Math.max(0, Math.min(100, ((event.percent - start) / (100 - start)) * 100)));
          }
          break;
        case 'completed':
          if (bar !== undefined) {
            bar.finish(`v${event.version}`, 100);
            bar = undefined;
          }
          return event;
        case 'failed':
        case 'cancelled':
          bar?.abort();
          bar = undefined;
          return event;
      }
      if (TERMINAL.has(event.kind)) return event;
    }
  } finally {
    bar?.abort();
  }
  return last;
}

/** `aiaas jobs submit | ls | show | cancel`. */
export function registerJobsCommand(program: Command, context: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('Optimization jobs: quantize, fp16, prune, graph-optimize, benchmark');

  addConnectionOptions(
    addJsonOption(
      jobs
        .command('submit')
        .description('Submit an optimization job on a model version; --watch follows it to the end')
        .argument('<model>', 'NAME (latest version), NAME@ALIAS or NAME:VERSION')
        .option('--pass <name>', `a pass, in order (repeatable): ${PASS_NAMES.join(', ')}`, collect, [])
        .option(
          '--set <pass.key=value>',
          'a pass setting, value as JSON or text (repeatable); graph-optimize.level is basic unless set',
          collect,
          [],
        )
        .option('--min-cosine <x>', 'fail unless every output’s cosine similarity to the source is at least this')
        .option('--max-abs-error <y>', 'fail if any output element differs from the source by more than this')
        .option('--max-mean-relative-error <y>', 'fail above this mean relative error')
        .option('--min-top1-agreement <x>', 'fail below this share of same arg-max (classifiers)')
        .option('--alias-on-success <alias>', 'point this alias at the result when the job succeeds')
        .option('--priority <p>', 'queue priority (1 = highest)')
        .option('--timeout <duration>', 'give up on the job after this long (e.g. 600s, 15m)')
        .option('--dataset <file>', 'validation inputs: a .jsonl or .npz file (default: random inputs)')
        .option('--watch', 'follow the job with a progress bar per pass; exit non-zero unless it completes'),
    ),
  ).action(async (ref: string, flags: SubmitFlags) => {
    const target = parseModelTarget(ref);
    const passes = buildPasses(flags.pass, flags.set);
    const thresholds = buildThresholds(flags);
    const request: SubmitJobRequest = {
      model: target.name,
      passes,
      ...(target.version === undefined ? {} : { version: target.version }),
      ...(target.alias === undefined ? {} : { alias: target.alias }),
      ...(thresholds === undefined ? {} : { thresholds }),
      ...(flags.aliasOnSuccess === undefined ? {} : { alias_on_success: flags.aliasOnSuccess }),
      ...(flags.priority === undefined ? {} : { priority: parseIntFlag(flags.priority, '--priority', 0, 2_097_152) }),
      ...(flags.timeout === undefined
        ? {}
        : { timeout_seconds: Math.ceil(parseDurationSeconds(flags.timeout, '--timeout')) }),
    };
    if (flags.dataset !== undefined) {
      const extension = path.extname(flags.dataset).toLowerCase();
      if (extension !== '.jsonl' && extension !== '.npz') {
        throw new Error(`--dataset ${flags.dataset}: expected a .jsonl or .npz file`);
      }
      let content: Buffer;
      try {
        content = await fs.readFile(flags.dataset);
      } catch (err) {
        throw new Error(`--dataset: cannot read ${flags.dataset}: ${(err as Error).message}`);
      }
      request.validation_dataset = { format: extension === '.jsonl' ? 'jsonl' : 'npz', content };
    }
    await withClient(flags, context, async (client) => {
      const job = await client.jobs.submit(request);
      if (flags.watch !== true) {
        printData(
          context,
          flags,
          job,
          () => `submitted job ${job.id} on ${job.model}:${job.source_version} (${job.state})\n`,
        );
        return;
      }
      context.stderr.write(
        `submitted job ${job.id} on ${job.model}:${job.source_version}: ${job.passes.map((p) => p.name).join(' → ')}\n`,
      );
      // Ctrl-C stops watching, not the job: say how to follow or cancel it.
      const stop = new AbortController();
      const onInterrupt = (): void => stop.abort();
      process.once('SIGINT', onInterrupt);
      let last: JobEvent | undefined;
      try {
        last = await watchJob(client, job, context.stderr, stop.signal);
      } finally {
        process.off('SIGINT', onInterrupt);
      }
      if (stop.signal.aborted) {
        throw new CliError(
          `stopped watching; job ${job.id} goes on ("aiaas jobs show ${job.id}" to see it, "aiaas jobs cancel ${job.id}" to stop it)`,
          130,
        );
      }
      const final = await client.jobs.get(job.id);
      if (flags.json === true) context.stdout.write(formatJson(final));
      else context.stdout.write(formatJobReport(final));
      if (final.state !== 'completed') {
        const why = final.error || last?.message || 'no reason given';
        throw new CliError(`job ${final.id} ${final.state}: ${why}`);
      }
    });
  });

  addConnectionOptions(
    addJsonOption(
      jobs
        .command('ls')
        .description('List your jobs, newest first')
        .option('--model <name>', 'only this model’s jobs')
        .option('--state <state>', `only jobs in this state: ${JOB_STATES.join(', ')}`),
    ),
  ).action(async (flags: ListFlags) => {
    if (flags.state !== undefined && !(JOB_STATES as readonly string[]).includes(flags.state)) {
      throw new Error(`--state "${flags.state}": expected one of ${JOB_STATES.join(', ')}`);
    }
    await withClient(flags, context, async (client) => {
      const list = await allPages(async (page_token) => {
        const page = await client.jobs.list({
          page_size: 500,
          page_token,
          ...(flags.model === undefined ? {} : { model: flags.model }),
          ...(flags.state === undefined ? {} : { state: flags.state as JobState }),
        });
        return { items: page.jobs, next: page.next_page_token };
      });
      printData(context, flags, { jobs: list }, () =>
        list.length === 0
          ? 'no jobs\n'
          : formatTable(
              ['ID', 'MODEL', 'PASSES', 'STATE', { header: 'RESULT', align: 'right' }, 'CREATED'],
              list.map((j) => [
                j.id,
                `${j.model}:${j.source_version}`,
                j.passes.map((p) => p.name).join('+'),
                j.state,
                j.result_version > 0 ? `v${j.result_version}` : '',
                j.created_at,
              ]),
            ),
      );
    });
  });

  addConnectionOptions(
    addJsonOption(jobs.command('show').description('Show a job, its events and its report').argument('<id>', 'job id')),
  ).action(async (id: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const job = await client.jobs.get(id);
      printData(context, flags, job, () => {
        const events =
          job.events.length === 0
            ? ''
            : `\n${formatTable(
                [{ header: 'SEQ', align: 'right' }, 'AT', 'EVENT', 'PASS', 'VERSION', 'MESSAGE'],
                // Progress pings are many and say little once the job is over.
                job.events
                  .filter((e) => e.kind !== 'progress')
                  .map((e) => [e.sequence, e.at, e.kind, e.pass, e.version > 0 ? `v${e.version}` : '', e.message]),
              )}`;
        const report = job.report === null ? '' : `\n${formatJobReport(job)}`;
        return jobFields(job) + events + report;
      });
    });
  });

  addConnectionOptions(
    addJsonOption(jobs.command('cancel').description('Cancel a queued or running job').argument('<id>', 'job id')),
  ).action(async (id: string, flags: CommonFlags) => {
    await withClient(flags, context, async (client) => {
      const job = await client.jobs.cancel(id);
      printData(context, flags, job, () => `job ${job.id}: ${job.state}\n`);
    });
  });
}
