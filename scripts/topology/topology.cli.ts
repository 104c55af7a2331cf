/**
 * `npm run topology`: writes k8s/base/generated (topics, users and ACLs, the apps' objects,
 * monitoring), k8s/components/autoscaling/generated (KEDA) and docs/asyncapi.yaml from the
 * apps' declarations (scripts/topology/app-catalog.ts). `-- --check` writes nothing and exits 1
 * naming every stale, missing or extra file (CI runs it through a unit spec as well).
 *
 * The declarations are read with the apps' default group names: settings that rename groups in
 * a sandbox (CONSUMER_GROUP, FEED_GROUP) are dropped before the apps' code is loaded.
 */
for (const name of ['CONSUMER_GROUP', 'FEED_GROUP']) delete process.env[name];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEPLOYED_APPS } = require('./app-catalog') as typeof import('./app-catalog');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder =
  require('./generated-topology.builder') as typeof import('./generated-topology.builder');

const files = builder.buildTopologyFiles(DEPLOYED_APPS);
if (process.argv.includes('--check')) {
  const problems = builder.staleTopologyFiles(files);
  if (problems.length > 0) {
    console.error(
      `topology: the committed files differ from the apps' declarations; run \`npm run topology\`\n  ${problems.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`topology: ${files.size} generated files are up to date`);
} else {
  builder.writeTopologyFiles(files);
  console.log(`topology: wrote ${files.size} files (${[...files.keys()].join(', ')})`);
}
