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

// Loaded only now, after the clean-up above (imports would run first).
async function main(): Promise<void> {
  const { DEPLOYED_APPS } = await import('./app-catalog');
  const builder = await import('./generated-topology.builder');
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
}

void main();
