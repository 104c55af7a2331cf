import { renderEventFile, RenderedEvent } from './event-file.renderer';
import { renderIndexFile } from './index-file.renderer';
import { InvalidSchemaFilesError } from './invalid-schema-files.error';
import type { LocalSchema } from './local-schema.model';
import { byText } from './local-schemas.loader';
import { SchemaFileError } from './schema-file.error';

/** Turns source text into its final form (prettier in the CLIs; tests may pass the identity). */
export type SourceFormatter = (source: string, filePath: string) => Promise<string>;

/**
 * Everything the generator writes, as path (relative to the generated folder, POSIX) → content,
 * sorted by path. Pure: reads nothing but its arguments, so gen and verify build the same map.
 * `generatedDir` only tells the formatter where each file lives (for its config lookup).
 */
export async function buildGeneratedFiles(
  schemas: readonly LocalSchema[],
  options: { schemasDir: string; generatedDir: string; format: SourceFormatter },
): Promise<Map<string, string>> {
  const events: RenderedEvent[] = [];
  const problems: SchemaFileError[] = [];
  for (const schema of schemas) {
    try {
      events.push(renderEventFile(schema));
    } catch (error) {
      if (!(error instanceof SchemaFileError)) throw error;
      problems.push(error);
    }
  }
  const byPath = new Map<string, RenderedEvent>();
  for (const event of events) {
    const other = byPath.get(event.path);
    if (other)
      problems.push(
        new SchemaFileError(
          event.schema.sourcePath,
          `generates ${event.path}, as does ${other.schema.sourcePath}`,
        ),
      );
    byPath.set(event.path, event);
  }
  if (problems.length > 0) throw new InvalidSchemaFilesError(problems);

  const sorted = events.sort(byText((e) => e.path));
  const raw: Array<[string, string]> = [
    ...sorted.map((e): [string, string] => [e.path, e.source]),
    ['index.ts', renderIndexFile(sorted, options.schemasDir)],
  ];
  const files = new Map<string, string>();
  for (const [path, source] of raw.sort(byText(([p]) => p))) {
    files.set(path, await options.format(source, `${options.generatedDir}/${path}`));
  }
  return files;
}
