// The output folder: made when missing, refused plainly when it is a file, and write failures worded by
// what they mean (issue 13, cases 2 and 13).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureOutDir, outputError } from '../../src/bundle/out-dir.js';
import { AudioEvidenceError } from '../../src/errors.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

const errno = (code: string, syscall = 'write') =>
  Object.assign(new Error(`${code}: something, ${syscall}`), { code, syscall });

describe('ensureOutDir', () => {
  it('makes a missing folder, nested', async () => {
    const dir = join(tempDir('ae-out-'), 'a', 'b');
    await ensureOutDir(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it('a file, or a path under a file, is output-not-folder naming the path', async () => {
    const file = join(tempDir('ae-out-'), 'f');
    writeFileSync(file, 'x');
    for (const dir of [file, join(file, 'sub')]) {
      const error = await ensureOutDir(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AudioEvidenceError);
      expect(error).toMatchObject({ code: 'output-not-folder', exitCode: 2, params: { path: dir } });
    }
  });
});

describe('outputError', () => {
  it.each([
    ['ENOSPC', 'output-no-space'],
    ['EDQUOT', 'output-no-space'],
    ['EROFS', 'output-unwritable'],
    ['EACCES', 'output-unwritable'],
    ['EIO', 'output-failed'],
  ])('%s → %s, the system error kept as the cause', (code, expected) => {
    const cause = errno(code);
    const error = outputError(cause, '/out');
    expect(error).toMatchObject({ code: expected, exitCode: 2 });
    expect(error.cause).toBe(cause);
    if (expected !== 'output-failed') expect(error.params['path']).toBe('/out');
  });

  it('passes our own errors through', () => {
    const own = new AudioEvidenceError('input-changed', 'x');
    expect(outputError(own, '/out')).toBe(own);
  });
});
