// Issue 13, "Hardening, round two": one regression test per case that is about the whole command (the
// unit-level cases live beside their module's tests). Each would fail before its fix.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { fixture, HAS_SAMPLES, SAMPLES } from '../helpers.js';
import { BIN, ensureBuilt } from './support.js';

beforeAll(ensureBuilt);
afterAll(removeTempDirs);

/** Runs the built CLI in `cwd` with a small heap, so a run that sizes memory from a header fails fast. */
function runBin(args: string[], cwd: string, heapMb = 256) {
  const run = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, ...args], {
    cwd,
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

const LONGLOOP = join(SAMPLES, 'corrupt', 'taglib__taglib__longloop.ape');

describe('case 1: a header claiming 58 years of audio', () => {
  it.skipIf(!HAS_SAMPLES || !existsSync(LONGLOOP))(
    'packs the 184-byte APE in a batch beside a good recording, both bundled, within a 256 MB heap',
    () => {
      const dir = tempDir('ae-r2-');
      copyFileSync(LONGLOOP, join(dir, 'longloop.ape'));
      copyFileSync(fixture('originals/rec-a.m4a'), join(dir, 'rec-a.m4a'));
      const run = runBin(['pack', '--jobs', '2', 'longloop.ape', 'rec-a.m4a'], dir);
      expect(run.signal, run.stderr).toBeNull();
      expect(run.code, run.stderr).toBe(0);
      const names = readdirSync(dir).sort();
      expect(names).toEqual([
        'longloop-evidence.zip',
        'longloop-evidence.zip.sha256',
        'longloop.ape',
        'rec-a-evidence.zip',
        'rec-a-evidence.zip.sha256',
        'rec-a.m4a',
      ]);
    },
  );
});
