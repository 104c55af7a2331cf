import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './cli-runner';
import { buildGeneratedFiles } from './generated-files.builder';
import { diffGeneratedFiles, isClean } from './generated-files.diff';
import { loadLocalSchemas } from './local-schemas.loader';
import { prettierFormatter } from './prettier.formatter';
import { GENERATED_DIR, REPO_ROOT, SCHEMAS_DIR } from './repo-paths';

/**
 * `npm run schemas:gen`: writes libs/schemas/src/generated from schemas/. Files it did not
 * produce are deleted (the folder is the generator's alone); unchanged files are not touched.
 */
runCli('schemas:gen', async () => {
  const schemas = loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR);
  const format = prettierFormatter(REPO_ROOT);
  const files = await buildGeneratedFiles(schemas, {
    schemasDir: SCHEMAS_DIR,
    generatedDir: GENERATED_DIR,
    format,
  });
  const dir = path.join(REPO_ROOT, GENERATED_DIR);
  const diff = diffGeneratedFiles(files, dir);
  for (const file of [...diff.missing, ...diff.stale]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), files.get(file) as string);
  }
  for (const file of diff.extra) fs.rmSync(path.join(dir, file));
  removeEmptyFolders(dir);
  const changed = isClean(diff)
    ? 'nothing changed'
    : `${diff.missing.length} new, ${diff.stale.length} updated, ${diff.extra.length} deleted`;
  console.log(`schemas:gen: ${schemas.length} event(s) → ${GENERATED_DIR} (${changed})`);
  return 0;
});

function removeEmptyFolders(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = path.join(dir, entry.name);
    removeEmptyFolders(sub);
    if (fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
  }
}
