// The sandboxed processor: BullMQ runs this file in a child process per concurrent job slot, so a
// pass that crashes or exhausts its heap (`--max-old-space-size`) fails that job only. Bundled to
// dist/optimize-processor.js beside dist/aiaas.js (tools/build.mjs); from the sources it runs with tsx.
import type { SandboxedJob } from 'bullmq';
import { GrpcRegistryLink } from './registry-link';
import { runOptimizeJob } from './run-optimize-job';
import type { OptimizeJobData, OptimizeJobResult } from './run-optimize-job';

let link: GrpcRegistryLink | undefined;

// The worker that forked this process is gone (kill -9, crash): stop at once. Its job's lock lapses
// and another worker runs it again; finishing it here too would race that one.
process.once('disconnect', () => process.exit(137));

/** BullMQ calls the default export with each job. Settings come from the worker, through the environment. */
export default async function optimizeProcessor(job: SandboxedJob<OptimizeJobData>): Promise<OptimizeJobResult> {
  const address = process.env['AIAAS_OPTIMIZER_REGISTRY'];
  if (address === undefined) throw new Error('AIAAS_OPTIMIZER_REGISTRY is not set in the sandbox');
  link ??= new GrpcRegistryLink(address, process.env['AIAAS_INTERNAL_TOKEN'] || undefined);
  return runOptimizeJob(job.data, { registry: link, attempt: job.attemptsMade + 1 });
}
