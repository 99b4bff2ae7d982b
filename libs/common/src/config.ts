import type { ZodType, ZodTypeDef } from 'zod';

/** Raised at start-up when settings are invalid; lists every bad key at once. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`invalid ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates `input` against a zod schema and returns the typed result, or throws a
 * {@link ConfigError} naming every invalid key with what was expected.
 */
export function parseWithSchema<Out, In = Out>(
  schema: ZodType<Out, ZodTypeDef, In>,
  input: unknown,
  source: string,
): Out {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError(source, problems);
}
