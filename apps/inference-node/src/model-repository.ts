import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError } from '@aiaas/common';

/** A model directory as found on disk: `DIR/<model>/config.json` and `DIR/<model>/<version>/model.onnx`. */
export interface ModelFiles {
  name: string;
  /** config.json text, or undefined when the model has none. */
  configText: string | undefined;
  versions: { version: number; modelPath: string }[];
}

const MODEL_FILENAME = 'model.onnx';
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Reads a Triton-layout model repository. Never follows a name outside the repository. */
export class ModelRepository {
  constructor(readonly root: string) {}

  /** Names of the model directories in the repository, sorted. */
  async listModelNames(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && VALID_NAME.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** The files of one model. NOT_FOUND when there is no such directory. */
  async readModel(name: string): Promise<ModelFiles> {
    if (!VALID_NAME.test(name) || name.includes('..')) {
      throw new InvalidArgumentError(`model name "${name}" is not valid: use letters, digits, '_', '-' and '.'`);
    }
    const dir = path.join(this.root, name);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      throw new NotFoundError(`model "${name}" is not in the model repository`);
    }
    let configText: string | undefined;
    if (entries.some((e) => e.isFile() && e.name === 'config.json')) {
      configText = await fs.readFile(path.join(dir, 'config.json'), 'utf8');
    }
    const versions: ModelFiles['versions'] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || !/^[1-9]\d*$/.test(entry.name)) continue;
      const modelPath = path.join(dir, entry.name, MODEL_FILENAME);
      const exists = await fs.stat(modelPath).then(
        (s) => s.isFile(),
        () => false,
      );
      if (exists) versions.push({ version: Number(entry.name), modelPath });
    }
    versions.sort((a, b) => a.version - b.version);
    return { name, configText, versions };
  }
}
