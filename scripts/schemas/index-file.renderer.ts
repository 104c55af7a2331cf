import { generatedHeader, RenderedEvent } from './event-file.renderer';
import { SchemaFileError } from './schema-file.error';
import { InvalidSchemaFilesError } from './invalid-schema-files.error';

/**
 * Renders generated/index.ts: every event class and its types, and ALL_EVENT_CLASSES sorted by
 * event type. The index re-exports by name, so names must be unique across all schemas; a
 * nested type defined identically in several schemas (StockLine) is exported once, from the
 * first schema that defines it. Throws {@link InvalidSchemaFilesError} for clashing names.
 */
export function renderIndexFile(events: readonly RenderedEvent[], schemasDir: string): string {
  const owners = new Map<string, { file: string; source: string }>();
  const problems: SchemaFileError[] = [];
  const claim = (event: RenderedEvent, name: string, source: string): boolean => {
    const owner = owners.get(name);
    if (!owner) {
      owners.set(name, { file: event.schema.sourcePath, source });
      return true;
    }
    if (owner.source !== source) {
      problems.push(
        new SchemaFileError(
          event.schema.sourcePath,
          `generates "${name}", which ${owner.file} generates differently`,
        ),
      );
    }
    return false;
  };

  const lines: string[] = [
    generatedHeader(`${schemasDir}/`),
    `import type { EventClass } from '../event-class';`,
  ];
  const exports: string[] = [];
  for (const event of events) {
    const module = `./${event.path.replace(/\.ts$/, '')}`;
    claim(event, event.className, `class ${event.schema.fullName}`);
    const types = event.typeExports
      .filter((t) => claim(event, t.name, t.source))
      .map((t) => `type ${t.name}`);
    lines.push(`import { ${event.className} } from '${module}';`);
    exports.push(`export { ${[event.className, ...types].join(', ')} } from '${module}';`);
  }
  if (problems.length > 0) throw new InvalidSchemaFilesError(problems);

  const classes = [...events].sort((a, b) => (a.schema.fullName < b.schema.fullName ? -1 : 1));
  return [
    ...lines,
    '',
    ...exports,
    '',
    '/** Every generated event class, sorted by event type. */',
    `export const ALL_EVENT_CLASSES: readonly EventClass[] = [${classes.map((e) => e.className).join(', ')}];`,
    '',
  ].join('\n');
}
