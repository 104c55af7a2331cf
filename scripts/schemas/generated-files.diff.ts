import * as fs from 'node:fs';
import * as path from 'node:path';

/** How the generated folder on disk differs from what schemas/ produces. Paths are relative. */
export interface GeneratedFilesDiff {
  /** On disk with different content. */
  readonly stale: string[];
  /** Expected but not on disk. */
  readonly missing: string[];
  /** On disk but not produced by any schema (e.g. a deleted or renamed .avsc). */
  readonly extra: string[];
}

export function isClean(diff: GeneratedFilesDiff): boolean {
  return diff.stale.length + diff.missing.length + diff.extra.length === 0;
}

export function diffGeneratedFiles(
  expected: ReadonlyMap<string, string>,
  dir: string,
): GeneratedFilesDiff {
  const actual = new Set(listFiles(dir));
  const diff: GeneratedFilesDiff = { stale: [], missing: [], extra: [] };
  for (const [file, content] of expected) {
    if (!actual.has(file)) diff.missing.push(file);
    else if (fs.readFileSync(path.join(dir, file), 'utf8') !== content) diff.stale.push(file);
  }
  diff.extra.push(...[...actual].filter((file) => !expected.has(file)));
  return diff;
}

/** Every file below `dir` (POSIX paths relative to it), sorted; none when it does not exist. */
export function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}
