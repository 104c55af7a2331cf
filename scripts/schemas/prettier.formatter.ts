import * as path from 'node:path';
import type { SourceFormatter } from './generated-files.builder';

/**
 * Formats generated TypeScript with the repository's prettier config (.prettierrc), so that
 * `npm run format` leaves generated files unchanged. Prettier is loaded lazily: it cannot run
 * inside jest (it uses dynamic import()), and only the CLIs need it.
 */
export function prettierFormatter(repoRoot: string): SourceFormatter {
  return async (source, filePath) => {
    const prettier = await import('prettier');
    const absolute = path.resolve(repoRoot, filePath);
    const config = await prettier.resolveConfig(absolute);
    return prettier.format(source, { ...config, filepath: absolute, parser: 'typescript' });
  };
}
