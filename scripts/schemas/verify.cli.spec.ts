import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GENERATED_DIR, REPO_ROOT } from './repo-paths';

/** The real CLI (prettier included), as CI runs it. */
function verify(generatedDir: string) {
  const tsNode = path.join(REPO_ROOT, 'node_modules/ts-node/dist/bin.js');
  return spawnSync(
    process.execPath,
    [tsNode, '--transpile-only', 'scripts/schemas/verify.cli.ts', '--generated', generatedDir],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
}

describe('schemas:verify', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-verify-'));
    fs.cpSync(path.join(REPO_ROOT, GENERATED_DIR), dir, { recursive: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes on a faithful copy of the committed generated folder', () => {
    const run = verify(dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('exits 1 naming each stale, missing and extra file', () => {
    fs.appendFileSync(path.join(dir, 'orders/order-placed.event.ts'), '// edited by hand\n');
    fs.rmSync(path.join(dir, 'shipping/shipment-scheduled.event.ts'));
    fs.writeFileSync(path.join(dir, 'orders/order-shipped.event.ts'), '');
    const run = verify(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`stale:   ${dir}/orders/order-placed.event.ts`);
    expect(run.stderr).toContain(`missing: ${dir}/shipping/shipment-scheduled.event.ts`);
    expect(run.stderr).toContain(`extra:   ${dir}/orders/order-shipped.event.ts`);
  }, 30_000);
});
