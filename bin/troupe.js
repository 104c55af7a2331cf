#!/usr/bin/env node
'use strict';
// The `troupe` command: runs the compensation app's CLI (apps/compensation/src/cli/main.ts),
// from a build when there is one (dist/apps/compensation-cli/main.js), else from the sources
// through ts-node (transpile only) and tsconfig-paths.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'apps', 'compensation-cli', 'main.js');
process.env.TROUPE_CLI_ENTRY = '1';
if (fs.existsSync(built)) {
  require(built);
} else {
  process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.json');
  process.env.TS_NODE_TRANSPILE_ONLY = 'true';
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  const { compilerOptions } = require(path.join(root, 'tsconfig.json'));
  require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
  require(path.join(root, 'apps', 'compensation', 'src', 'cli', 'main.ts'));
}
