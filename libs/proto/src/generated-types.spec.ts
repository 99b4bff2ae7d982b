import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATED_DIR, REGISTRY_TYPES_FILE, generateTypes, registryTypesSource } from './generate-types';

/** Relative paths of every file under `dir`, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('committed generated types', () => {
  let freshDir: string;

  beforeAll(() => {
    freshDir = mkdtempSync(path.join(os.tmpdir(), 'aiaas-proto-gen-'));
    generateTypes(freshDir);
  });

  afterAll(() => {
    rmSync(freshDir, { recursive: true, force: true });
  });

  const hint =
    'src/generated is stale: run `npm run generate -w @aiaas/proto` and commit the result';

  it('has the same files as a fresh generation', () => {
    const fresh = listFiles(freshDir);
    expect(fresh).toContain('inference.ts');
    expect({ files: listFiles(GENERATED_DIR), hint }).toEqual({ files: fresh, hint });
  });

  it('has the same contents as a fresh generation', () => {
    const committed = (file: string): string | undefined => {
      const full = path.join(GENERATED_DIR, file);
      return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
    };
    const stale = listFiles(freshDir).filter(
      (file) => committed(file) !== readFileSync(path.join(freshDir, file), 'utf8'),
    );
    expect({ stale, hint }).toEqual({ stale: [], hint });
  });
});

describe('registry-types.ts', () => {
  it('re-exports every generated registry type (regenerate with npm run generate -w @aiaas/proto)', () => {
    expect(readFileSync(REGISTRY_TYPES_FILE, 'utf8')).toBe(registryTypesSource(GENERATED_DIR));
  });
});
