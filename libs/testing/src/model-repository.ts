import fs from 'node:fs';
import path from 'node:path';

/** One model of a test repository: its versions' bytes and an optional config.json (object or raw text). */
export interface RepositoryModel {
  name: string;
  versions: Record<number, Uint8Array>;
  config?: object | string;
}

/** Lays models out as Triton does: ROOT/<name>/<version>/model.onnx and ROOT/<name>/config.json. */
export function writeModelRepository(root: string, models: RepositoryModel[]): string {
  for (const model of models) {
    for (const [version, bytes] of Object.entries(model.versions)) {
      const dir = path.join(root, model.name, version);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
    }
    if (model.config !== undefined) {
      const text = typeof model.config === 'string' ? model.config : JSON.stringify(model.config);
      fs.writeFileSync(path.join(root, model.name, 'config.json'), text);
    }
  }
  return root;
}
