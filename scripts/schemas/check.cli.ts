import { runCli } from './cli-runner';
import { checkCompatibility, formatCompatibilityResult } from './compatibility.checker';
import { loadLocalSchemas } from './local-schemas.loader';
import { REPO_ROOT, SCHEMAS_DIR, registryUrlFromEnv } from './repo-paths';

/**
 * `npm run schemas:check`: one line per subject; exits 1 when any local schema is incompatible
 * with what is registered. Registry: TROUPE_SCHEMA_REGISTRY_URL, default the local one.
 */
runCli('schemas:check', async () => {
  const registryUrl = registryUrlFromEnv();
  const results = await checkCompatibility(registryUrl, loadLocalSchemas(REPO_ROOT, SCHEMAS_DIR));
  for (const result of results) {
    (result.status === 'incompatible' ? console.error : console.log)(
      formatCompatibilityResult(result),
    );
  }
  const incompatible = results.filter((r) => r.status === 'incompatible').length;
  console.log(
    `schemas:check: ${results.length} subject(s) at ${registryUrl}, ${incompatible} incompatible`,
  );
  return incompatible === 0 ? 0 : 1;
});
