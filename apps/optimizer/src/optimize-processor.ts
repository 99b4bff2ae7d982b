// The sandboxed processor: the worker runs this file in a child process per concurrent job slot
// (sandbox-runner.ts, on BullMQ's child pool), so a pass that crashes or exhausts its heap
// (`--max-old-space-size`) fails that job only, and one past its timeout is killed. Bundled to
// dist/optimize-processor.js beside dist/aiaas.js (tools/build.mjs); from the sources it runs with tsx.
import type { SandboxedJob } from 'bullmq';
import { GrpcRegistryLink } from './registry-link';
import { runOptimizeJob } from './run-optimize-job';
import type { OptimizeJobResult } from './run-optimize-job';
import type { SandboxJobData, StepMessage } from './sandbox-runner';

let link: GrpcRegistryLink | undefined;

// The worker that forked this process is gone (kill -9, crash): stop at once. Its job's lock lapses
// and another worker runs it again; finishing it here too would race that one.
process.once('disconnect', () => process.exit(137));

/** BullMQ's child calls the default export with each job. Settings come from the worker, through the environment. */
export default async function optimizeProcessor(job: SandboxedJob<SandboxJobData>): Promise<OptimizeJobResult> {
  const address = process.env['AIAAS_OPTIMIZER_REGISTRY'];
  if (address === undefined) throw new Error('AIAAS_OPTIMIZER_REGISTRY is not set in the sandbox');
  link ??= new GrpcRegistryLink(address, process.env['AIAAS_INTERNAL_TOKEN'] || undefined);
  // The worker put its optimizer.job span's context here: the registry's spans for our calls join it.
  link.traceHeaders = job.data.traceContext ?? {};
  return runOptimizeJob(job.data, {
    registry: link,
    attempt: job.attemptsMade + 1,
    // Steps go to the worker as progress messages; it makes the spans and metrics.
    observe: (event) => {
      const message: StepMessage = { optimizerStep: event };
      job.updateProgress(message as unknown as object).catch(() => undefined);
    },
  });
}
