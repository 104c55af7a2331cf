import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidSchemaFilesError } from './invalid-schema-files.error';
import type { LocalSchema } from './local-schema.model';
import { parseLocalSchema } from './local-schema.parser';
import { SchemaFileError } from './schema-file.error';

/**
 * Reads and validates every `<schemasDir>/<domain>/*.avsc`, sorted by event type so all output
 * derived from it is deterministic. Throws {@link InvalidSchemaFilesError} listing every bad
 * file (not just the first). Paths in results and messages are relative to `repoRoot`.
 */
export function loadLocalSchemas(repoRoot: string, schemasDir: string): LocalSchema[] {
  const root = path.resolve(repoRoot, schemasDir);
  if (!fs.existsSync(root)) throw new Error(`no schema folder at ${root}`);
  const schemas: LocalSchema[] = [];
  const problems: SchemaFileError[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const relative = toPosix(path.relative(repoRoot, path.join(root, entry.name)));
    if (!entry.isDirectory()) {
      if (entry.name.endsWith('.avsc'))
        problems.push(new SchemaFileError(relative, 'must be in a domain folder'));
      continue;
    }
    for (const file of fs.readdirSync(path.join(root, entry.name))) {
      if (!file.endsWith('.avsc')) continue;
      const sourcePath = `${relative}/${file}`;
      try {
        schemas.push(
          parseLocalSchema({
            sourcePath,
            text: fs.readFileSync(path.join(repoRoot, sourcePath), 'utf8'),
          }),
        );
      } catch (error) {
        if (!(error instanceof SchemaFileError)) throw error;
        problems.push(error);
      }
    }
  }
  if (problems.length > 0) throw new InvalidSchemaFilesError(problems.sort(byText((p) => p.file)));
  return schemas.sort(byText((s) => s.fullName));
}

/** Ordinal comparison: locale-independent, so every machine sorts the same way. */
export function byText<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
