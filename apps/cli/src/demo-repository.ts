import fs from 'node:fs/promises';
import path from 'node:path';
import { MLP_SMALL, buildCnn, buildMlp } from '@aiaas/onnx';

/**
 * Writes a small model repository to serve without any download: `mlp-small` (64 → 64 → 10,
 * dynamic batching by default) and `cnn` (3×64×64 image → 10 logits, with a config.json in
 * Triton's JSON form). Rewrites the same bytes every time: the builders are deterministic.
 */
export async function writeDemoRepository(root: string): Promise<void> {
  const models: { name: string; bytes: Uint8Array; config?: object }[] = [
    { name: 'mlp-small', bytes: buildMlp(MLP_SMALL).bytes },
    {
      name: 'cnn',
      bytes: buildCnn().bytes,
      config: {
        max_batch_size: 16,
        dynamic_batching: { max_queue_delay_microseconds: 200, default_queue_policy: { max_queue_size: 256 } },
        instance_group: [{ count: 1, kind: 'KIND_CPU' }],
      },
    },
  ];
  for (const model of models) {
    const versionDir = path.join(root, model.name, '1');
    await fs.mkdir(versionDir, { recursive: true });
    await fs.writeFile(path.join(versionDir, 'model.onnx'), model.bytes);
    const configPath = path.join(root, model.name, 'config.json');
    if (model.config) await fs.writeFile(configPath, `${JSON.stringify(model.config, null, 2)}\n`);
  }
}
