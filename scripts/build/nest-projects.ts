import * as fs from 'node:fs';
import * as path from 'node:path';

interface NestCliConfig {
  projects?: Record<string, { type?: string; root?: string }>;
}

/** The Nest projects of type application in nest-cli.json (each builds to dist/apps/<name>/main.js). */
export function applicationsOf(root: string): string[] {
  const config = JSON.parse(
    fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'),
  ) as NestCliConfig;
  return Object.entries(config.projects ?? {})
    .filter(([, project]) => project.type === 'application')
    .map(([name]) => name);
}
