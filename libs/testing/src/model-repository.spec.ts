import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from './temp-dir';
import { writeModelRepository } from './model-repository';

describe('writeModelRepository', () => {
  it('lays models out as Triton does', () => {
    const root = makeTempDir('repo-layout');
    try {
      writeModelRepository(root, [
        { name: 'a', versions: { 1: Buffer.from('one'), 3: Buffer.from('three') }, config: { max_batch_size: 4 } },
        { name: 'b', versions: { 2: Buffer.from('two') }, config: '{"raw": true}' },
      ]);
      expect(fs.readFileSync(path.join(root, 'a', '3', 'model.onnx'), 'utf8')).toBe('three');
      expect(JSON.parse(fs.readFileSync(path.join(root, 'a', 'config.json'), 'utf8'))).toEqual({ max_batch_size: 4 });
      expect(fs.readFileSync(path.join(root, 'b', 'config.json'), 'utf8')).toBe('{"raw": true}');
      expect(fs.readdirSync(path.join(root, 'b')).sort()).toEqual(['2', 'config.json']);
    } finally {
      removeDir(root);
    }
    expect(fs.existsSync(root)).toBe(false);
  });
});
