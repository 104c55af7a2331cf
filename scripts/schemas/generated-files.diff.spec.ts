import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffGeneratedFiles, isClean, listFiles } from './generated-files.diff';

describe('diffGeneratedFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-gen-'));
    fs.mkdirSync(path.join(dir, 'orders'));
    fs.writeFileSync(path.join(dir, 'index.ts'), 'index');
    fs.writeFileSync(path.join(dir, 'orders/a.event.ts'), 'old a');
    fs.writeFileSync(path.join(dir, 'orders/gone.event.ts'), 'gone');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names stale, missing and extra files by their path below the folder', () => {
    const expected = new Map([
      ['index.ts', 'index'],
      ['orders/a.event.ts', 'new a'],
      ['payments/b.event.ts', 'b'],
    ]);
    const diff = diffGeneratedFiles(expected, dir);
    expect(diff).toEqual({
      stale: ['orders/a.event.ts'],
      missing: ['payments/b.event.ts'],
      extra: ['orders/gone.event.ts'],
    });
    expect(isClean(diff)).toBe(false);
  });

  it('is clean when the folder holds exactly the expected files', () => {
    const expected = new Map([
      ['index.ts', 'index'],
      ['orders/a.event.ts', 'old a'],
      ['orders/gone.event.ts', 'gone'],
    ]);
    expect(isClean(diffGeneratedFiles(expected, dir))).toBe(true);
  });

  it('treats a folder that does not exist as empty', () => {
    expect(listFiles(path.join(dir, 'nope'))).toEqual([]);
    expect(diffGeneratedFiles(new Map([['index.ts', '']]), path.join(dir, 'nope')).missing).toEqual(
      ['index.ts'],
    );
  });
});
