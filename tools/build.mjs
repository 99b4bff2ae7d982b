// Bundles each entry point into dist/ with esbuild. Libraries are bundled into the apps that use
// them (resolved through tsconfig paths); npm packages stay external and load from node_modules.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Paths below are relative to the repository root, wherever this is started from (nx runs it in a project folder).
const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const entryPoints = {
  aiaas: 'apps/cli/src/main.ts',
  // Loaded by inference-node instances with `new Worker(...)`; must sit beside the bundles that start it.
  'session-worker': 'apps/inference-node/src/session-worker.ts',
  // BullMQ's sandboxed processor for `aiaas worker`; must sit beside aiaas.js (processorFile()).
  'optimize-processor': 'apps/optimizer/src/optimize-processor.ts',
  // Must sit directly in dist/: the node it spawns (dist/aiaas.js) finds session-worker.js beside it.
  'bench-inference-node': 'bench/inference-node.ts',
  'bench-deployments': 'bench/deployments.ts',
  // Beside aiaas.js, which it starts as `aiaas registry`.
  'bench-registry': 'bench/registry.ts',
  'bench-optimizer': 'bench/optimizer.ts',
  // Beside aiaas.js, which it starts as registry, node and gateways.
  'bench-gateway': 'bench/gateway.ts',
};

// Built beside dist/ and moved in file by file (rename is atomic): a process started from dist/
// while a rebuild runs (a test, a bench) never finds a file missing or half-written.
const staging = `dist.build-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints,
  absWorkingDir: root,
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  tsconfig: 'tsconfig.base.json',
  logLevel: 'warning',
});

mkdirSync('dist', { recursive: true });
const built = new Set(readdirSync(staging));
for (const file of built) renameSync(`${staging}/${file}`, `dist/${file}`);
// Bundles of entries that no longer exist would otherwise linger.
for (const file of readdirSync('dist')) if (!built.has(file)) rmSync(`dist/${file}`, { recursive: true, force: true });
rmSync(staging, { recursive: true, force: true });
