import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findProtoDir, INFERENCE_PROTO_FILE, PROTO_LOADER_OPTIONS } from './load-inference-package';

/** Where the committed generated types live. */
export const GENERATED_DIR = path.join(__dirname, 'generated');

/**
 * The `proto-loader-gen-types` flags matching {@link PROTO_LOADER_OPTIONS}, so that the types
 * describe the objects the runtime loader really produces (strings for 64-bit integers, enum
 * names, defaults filled in, virtual oneof fields, Buffers for bytes).
 */
export function genTypesFlags(): string[] {
  const options = PROTO_LOADER_OPTIONS;
  return [
    ...(options.keepCase ? ['--keepCase'] : []),
    `--longs=${options.longs.name}`,
    `--enums=${options.enums.name}`,
    ...(options.defaults ? ['--defaults'] : []),
    ...(options.oneofs ? ['--oneofs'] : []),
    '--includeComments',
    '--grpcLib=@grpc/grpc-js',
  ];
}

/**
 * Regenerates the TypeScript types for `protos/inference.proto` into `outDir`, replacing what was
 * there. Runs the `proto-loader-gen-types` CLI of `@grpc/proto-loader` with the repository root
 * as working directory, so the `// Original file: protos/...` headers it writes are the same on
 * every machine.
 *
 * @param outDir - folder to (re)create with the generated files.
 */
export function generateTypes(outDir: string): void {
  const protoDir = findProtoDir();
  const repoRoot = path.dirname(protoDir);
  const bin = require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    process.execPath,
    [
      bin,
      ...genTypesFlags(),
      '--includeDirs',
      path.relative(repoRoot, protoDir),
      '--outDir',
      outDir,
      INFERENCE_PROTO_FILE,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

// `npm run generate -w @aiaas/proto` runs this file directly.
if (require.main === module) {
  generateTypes(GENERATED_DIR);
  console.log(`generated types in ${path.relative(process.cwd(), GENERATED_DIR)}`);
}
