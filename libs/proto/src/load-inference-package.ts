import { existsSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/inference';
import type { ProtoGrpcType as RegistryProtoGrpcType } from './generated/registry';
import type { ProtoGrpcType as DeploymentsProtoGrpcType } from './generated/deployments';
import type { ProtoGrpcType as JobsProtoGrpcType } from './generated/jobs';

/** The registry's proto files merged, as loadPackageDefinition builds them. */
export type RegistryGrpcType = RegistryProtoGrpcType & DeploymentsProtoGrpcType & JobsProtoGrpcType;

/** Folder name, under the repository root, that holds the `.proto` sources. */
const PROTOS_DIR_NAME = 'protos';

/** Entry file of the inference API; it imports `model_config.proto`. */
export const INFERENCE_PROTO_FILE = 'inference.proto';

/** The registry's protos (package `aiaas.registry.v1`): models and versions; deployments, nodes and routes. */
export const REGISTRY_PROTO_FILES: readonly string[] = ['registry.proto', 'deployments.proto', 'jobs.proto'];

/** Fully-qualified name of the Open Inference Protocol service, as clients address it. */
export const INFERENCE_SERVICE_NAME = 'inference.GRPCInferenceService';

/**
 * Options given to `@grpc/proto-loader` when loading the protos, and (as the matching CLI flags)
 * to `proto-loader-gen-types`, so the generated types describe exactly what the loader produces.
 *
 * - `keepCase`: field names stay as in the proto (`raw_input_contents`), the names Triton/KServe
 *   documentation and clients use.
 * - `longs: String`: int64/uint64 (shapes, `uint64_contents`, statistics counters) decode to
 *   decimal strings, so values above 2^53 keep full precision; encoding accepts number, string
 *   or Long.
 * - `enums: String`: enums decode to their names (`TYPE_FP32`).
 * - `defaults: true`: absent scalars, lists and maps decode to their proto3 defaults, so handlers
 *   never see `undefined` for them.
 * - `oneofs: true`: each oneof gets a virtual property naming the field that is set
 *   (`parameter_choice: 'int64_param'`).
 * - `bytes` is left at its default: bytes fields decode to `Buffer`s that view the received
 *   message without copying or base64 conversion (see docs/decisions/protobuf-types.md).
 */
export const PROTO_LOADER_OPTIONS: Readonly<{
  keepCase: true;
  longs: StringConstructor;
  enums: StringConstructor;
  defaults: true;
  oneofs: true;
}> = Object.freeze({
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** Thrown when no `protos/inference.proto` exists in the start folder or any folder above it. */
export class ProtoDirNotFoundError extends Error {
  override readonly name = 'ProtoDirNotFoundError';

  constructor(readonly startDir: string) {
    super(
      `expected ${path.join(PROTOS_DIR_NAME, INFERENCE_PROTO_FILE)} in ${startDir} or one of its ` +
        'parent folders, found none; ship the protos/ folder next to the code that loads it',
    );
  }
}

/**
 * Finds the folder holding the `.proto` files by walking up from `startDir` until a folder
 * containing `protos/inference.proto` is found. This works from the sources
 * (`libs/proto/src`, under Jest and tsx) and from a bundle in `dist/` alike.
 *
 * @param startDir - where to start looking; defaults to this module's folder (or, once bundled,
 *   the bundle's folder).
 * @returns the absolute path of the `protos` folder
 * @throws {@link ProtoDirNotFoundError} when the filesystem root is reached without a match
 */
export function findProtoDir(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, PROTOS_DIR_NAME);
    if (existsSync(path.join(candidate, INFERENCE_PROTO_FILE))) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new ProtoDirNotFoundError(startDir);
    }
    dir = parent;
  }
}

let cachedDefinition: protoLoader.PackageDefinition | undefined;
let cachedPackage: ProtoGrpcType | undefined;

/**
 * Loads `inference.proto` (and the `model_config.proto` it imports) with
 * {@link PROTO_LOADER_OPTIONS}. The result is cached: the protos are parsed once per process.
 *
 * This is the raw definition, keyed by fully-qualified name (`'inference.GRPCInferenceService'`,
 * `'inference.ModelInferRequest'`, ...); `@grpc/reflection` needs it in this form.
 */
export function loadInferencePackageDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(INFERENCE_PROTO_FILE, {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [findProtoDir()],
  });
  return cachedDefinition;
}

/**
 * The loaded `inference` package as grpc-js objects, typed by the generated {@link ProtoGrpcType}:
 * `loadInferencePackage().inference.GRPCInferenceService.service` for `server.addService`, and
 * `new (loadInferencePackage().inference.GRPCInferenceService)(address, credentials)` for a client.
 * Cached, like {@link loadInferencePackageDefinition}.
 */
export function loadInferencePackage(): ProtoGrpcType {
  // loadPackageDefinition is untyped (GrpcObject); the generated ProtoGrpcType describes the
  // object it builds from this definition.
  cachedPackage ??= grpc.loadPackageDefinition(loadInferencePackageDefinition()) as unknown as ProtoGrpcType;
  return cachedPackage;
}

let cachedRegistryDefinition: protoLoader.PackageDefinition | undefined;
let cachedRegistryPackage: RegistryGrpcType | undefined;

/** Loads the registry's protos (`aiaas.registry.v1`) with {@link PROTO_LOADER_OPTIONS}; cached. */
export function loadRegistryPackageDefinition(): protoLoader.PackageDefinition {
  cachedRegistryDefinition ??= protoLoader.loadSync([...REGISTRY_PROTO_FILES], {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [findProtoDir()],
  });
  return cachedRegistryDefinition;
}

/**
 * The `aiaas.registry.v1` package as grpc-js objects: `loadRegistryPackage().aiaas.registry.v1.ModelRegistry`,
 * `.Deployments`, `.Nodes`, `.Routes` (service constructors with `.service` for `server.addService`).
 */
export function loadRegistryPackage(): RegistryGrpcType {
  cachedRegistryPackage ??= grpc.loadPackageDefinition(loadRegistryPackageDefinition()) as unknown as RegistryGrpcType;
  return cachedRegistryPackage;
}
