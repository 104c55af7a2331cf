/**
 * `npm run build`: every application of nest-cli.json, each bundled by `nest build <app>`
 * (webpack, node_modules left external) into dist/apps/<app>/main.js, which `node` runs with the
 * same environment settings as `npm start`. `-- <app> ...` builds only those. dist/ is emptied
 * first when everything is built, so nothing stale ships.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applicationsOf } from './nest-projects';

const root = path.resolve(__dirname, '..', '..');
const all = applicationsOf(root);
const wanted = process.argv.slice(2);
for (const app of wanted)
  if (!all.includes(app)) fail(`unknown app "${app}" (nest-cli.json has ${all.join(', ')})`);
const apps = wanted.length > 0 ? wanted : all;
if (wanted.length === 0) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });

const nest = path.join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
for (const app of apps) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [nest, 'build', app], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const entry = path.join(root, 'dist', 'apps', app, 'main.js');
  if (result.status !== 0 || !fs.existsSync(entry))
    fail(`${app} did not build:\n${result.stdout ?? ''}`);
  const kb = Math.round(fs.statSync(entry).size / 1024);
  console.log(
    `build: ${path.relative(root, entry)} (${kb} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(1);
}
