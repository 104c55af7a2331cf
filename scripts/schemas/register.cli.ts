import { runCli } from './cli-runner';
import { loadLocalSchemas } from './local-schemas.loader';
import { REPO_ROOT, SCHEMAS_DIR, registryUrlFromEnv } from './repo-paths';
import { registerSchemas } from './schema.registrar';

/** `npm run schemas:register`: registers every local schema; prints `subject → id`. */
runCli('schemas:register', async () => {
  const registryUrl = registryUrlFromEnv();
  const results = await registerSchemas(registryUrl, loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR));
  for (const { subject, id } of results) console.log(`${subject} → ${id}`);
  console.log(`schemas:register: ${results.length} subject(s) at ${registryUrl}`);
  return 0;
});
