import * as fs from 'node:fs';
import { LocalInfra } from '../infra/src/local-infra';
import { startedFile } from './infra.global-setup';

/**
 * Stops only what the test run itself started. Jest calls this once per project; the parts
 * stay up until the last project that needs them has finished, because jest runs every
 * project's teardown after all tests.
 */
export default async function globalTeardown(): Promise<void> {
  const file = startedFile();
  if (!fs.existsSync(file)) return;
  const started: string[] = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file, { force: true });
  await new LocalInfra(undefined, (line) => process.stderr.write(`[infra] ${line}\n`)).down(
    started,
  );
}
