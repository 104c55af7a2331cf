import * as path from 'node:path';
import { runCli } from './cli-runner';
import { buildGeneratedFiles } from './generated-files.builder';
import { diffGeneratedFiles, isClean } from './generated-files.diff';
import { loadLocalSchemas } from './local-schemas.loader';
import { prettierFormatter } from './prettier.formatter';
import { GENERATED_DIR, REPO_ROOT, SCHEMAS_DIR } from './repo-paths';

/**
 * `npm run schemas:verify` (CI): regenerates in memory and exits 1, naming each stale, missing
 * or extra file, when libs/schemas/src/generated is not exactly what schemas/ produces.
 * `--generated <dir>` checks another folder (tests use it).
 */
runCli('schemas:verify', async () => {
  const flag = process.argv.indexOf('--generated');
  const generatedDir = flag >= 0 ? process.argv[flag + 1] : GENERATED_DIR;
  const schemas = loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR);
  const format = prettierFormatter(REPO_ROOT);
  const files = await buildGeneratedFiles(schemas, {
    schemasDir: SCHEMAS_DIR,
    generatedDir: GENERATED_DIR,
    format,
  });
  const diff = diffGeneratedFiles(files, path.resolve(REPO_ROOT, generatedDir));
  if (isClean(diff)) {
    console.log(`schemas:verify: ${generatedDir} is up to date (${files.size} files)`);
    return 0;
  }
  const report = [
    ...diff.stale.map((f) => `  stale:   ${generatedDir}/${f}`),
    ...diff.missing.map((f) => `  missing: ${generatedDir}/${f}`),
    ...diff.extra.map((f) => `  extra:   ${generatedDir}/${f}`),
  ];
  console.error(
    `schemas:verify: ${generatedDir} differs from ${SCHEMAS_DIR}/; run \`npm run schemas:gen\`\n${report.join('\n')}`,
  );
  return 1;
});
