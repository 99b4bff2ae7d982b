import { AiaasClient, isAiaasError } from '@aiaas/client';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { readProfile } from '../profile';

/** The demo model `aiaas up --demo` pushes: a 64 → 64 → 10 MLP, deployed on its `production` alias. */
export const DEMO_MODEL = 'demo-mlp';
export const DEMO_ALIAS = 'production';

/** The demo's input: 64 fixed values, short enough to paste. */
export const DEMO_INPUT: readonly number[] = Array.from({ length: 64 }, (_, i) => Math.round(Math.sin(i) * 100) / 100);

export interface DemoOptions {
  restUrl: string;
  grpcAddress: string;
  env: NodeJS.ProcessEnv;
  print: (line: string) => void;
  /** The admin key of a first start; later starts use AIAAS_API_KEY or the saved profile's key. */
  adminKey: string | undefined;
  /** How long the deployment may take to get ready. @default 120000 */
  readyTimeoutMs?: number;
}

/**
 * Pushes the demo model, points its alias at it, deploys it and checks one inference, all through
 * the SDK; each step is skipped when what it makes already exists (a second `up --demo`). Returns
 * the curl it prints.
 */
export async function runDemo(options: DemoOptions): Promise<string> {
  const { print } = options;
  const key = options.adminKey ?? (await savedKey(options.env, options.restUrl));
  if (key === undefined) {
    throw new Error(
      `no API key for ${options.restUrl}: set AIAAS_API_KEY, or run "aiaas login --url ${options.restUrl} --key KEY"`,
    );
  }
  const client = new AiaasClient({ url: options.restUrl, apiKey: key, grpcAddress: options.grpcAddress });
  try {
    const { versions } = await client.models.versions(DEMO_MODEL).catch((err: unknown) => {
      if (isAiaasError(err) && err.code === 'NOT_FOUND') return { versions: [] };
      throw err;
    });
    let version = versions.find((v) => v.aliases.includes(DEMO_ALIAS))?.version ?? versions[0]?.version;
    if (version === undefined) {
      const model = buildMlp(MLP_SMALL);
      const pushed = await client.models.upload(DEMO_MODEL, model.bytes, {
        createModel: true,
        tags: { demo: 'true' },
      });
      version = pushed.version;
      print(`demo: pushed ${DEMO_MODEL} version ${version} (an MLP 64 → 64 → 10, ${model.bytes.byteLength} bytes)`);
    } else {
      print(`demo: ${DEMO_MODEL} version ${version} is already there`);
    }
    if (!versions.some((v) => v.aliases.includes(DEMO_ALIAS))) {
      await client.models.setAlias(DEMO_MODEL, DEMO_ALIAS, version);
      print(`demo: alias ${DEMO_MODEL}@${DEMO_ALIAS} → version ${version}`);
    }
    const existing = await client.deployments.get(DEMO_MODEL).catch((err: unknown) => {
      if (isAiaasError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    });
    if (existing === undefined) {
      await client.deployments.create({ model: DEMO_MODEL, name: DEMO_MODEL, alias: DEMO_ALIAS, replicas: 1 });
      print(`demo: deployed ${DEMO_MODEL}@${DEMO_ALIAS} (1 replica)`);
    } else {
      print(`demo: deployment ${DEMO_MODEL} is already there`);
    }
    const started = Date.now();
    await client.deployments.waitReady(DEMO_MODEL, { deadlineMs: options.readyTimeoutMs ?? 120_000 });
    const result = await client.inference.infer(`${DEMO_MODEL}@${DEMO_ALIAS}`, [
      { name: 'input', shape: [1, DEMO_INPUT.length], data: Float32Array.from(DEMO_INPUT) },
    ]);
    const output = result.outputList[0];
    const scores = output?.datatype === 'FP32' ? Array.from(output.data) : [];
    const top = scores.indexOf(Math.max(...scores));
    print(
      `demo: ${DEMO_MODEL}@${DEMO_ALIAS} is serving (ready in ${Date.now() - started} ms; version ${result.modelVersion} says class ${top})`,
    );
    const curl = demoCurl(options.restUrl, key);
    print('demo: call it over KServe V2 REST:');
    print('');
    print(curl);
    print('');
    return curl;
  } finally {
    client.close();
  }
}

/** A ready-to-paste curl for the demo model's V2 REST infer. */
export function demoCurl(restUrl: string, key: string): string {
  const body = JSON.stringify({
    inputs: [{ name: 'input', shape: [1, DEMO_INPUT.length], datatype: 'FP32', data: DEMO_INPUT }],
  });
  return [
    `curl -s ${restUrl}/v2/models/${DEMO_MODEL}@${DEMO_ALIAS}/infer \\`,
    `  -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

/** AIAAS_API_KEY, else the profile's key when the profile is for this gateway. */
async function savedKey(env: NodeJS.ProcessEnv, restUrl: string): Promise<string | undefined> {
  if (env['AIAAS_API_KEY']) return env['AIAAS_API_KEY'];
  const profile = await readProfile(env);
  return profile !== undefined && profile.url.replace(/\/+$/, '') === restUrl.replace(/\/+$/, '')
    ? profile.key
    : undefined;
}
