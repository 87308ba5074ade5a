// A pack that is killed or interrupted leaves nothing under the final name: the built CLI is run on a
// longer recording and stopped while its temporary folder exists.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { BIN, ensureBuilt, exited, makeLongRecording, tempFolderOf } from '../hardening/support.js';
import { fixture } from '../helpers.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

const TEMP = /^\.long-evidence\.tmp-(\d+)-[0-9a-f]{8}$/;

let long: string;

beforeAll(() => {
  ensureBuilt();
  const dir = tempDir('ae-signals-');
  long = join(dir, 'long.m4a');
  // Thirty minutes of the fixture, stream-copied: a few seconds of work for pack, instant to make.
  expect(makeLongRecording(long)).toBe(0);
}, 120_000);

function startPack(out: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'pack', long, '--out', out], { stdio: 'ignore' });
}

const finalNames = (out: string) => readdirSync(out).filter((name) => !name.startsWith('.'));

describe('interrupted packs', () => {
  it('SIGKILL mid-run: nothing under the final name; the next run sweeps the stale folder', async () => {
    const out = join(tempDir('ae-kill-'), 'out');
    mkdirSync(out);
    const child = startPack(out);
    const temp = await tempFolderOf(out, child);
    expect(TEMP.exec(temp.slice(out.length + 1))?.[1]).toBe(String(child.pid));
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');
    expect(finalNames(out)).toEqual([]);
    expect(existsSync(temp)).toBe(true);

    const [bundle] = await pack([long], { out });
    expect(bundle!.removedStale).toEqual([temp]);
    expect(readdirSync(out).sort()).toEqual([
      'long-evidence-forms',
      'long-evidence.zip',
      'long-evidence.zip.sha256',
    ]);
    expect((await verify(bundle!.path, { original: long })).ok).toBe(true);
  });

  // SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\\) are handled like Ctrl-C (issue 13, case 11).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal}: the temporary folder is removed and the process ends by the signal`, async () => {
      const out = join(tempDir('ae-int-'), 'out');
      mkdirSync(out);
      const child = startPack(out);
      await tempFolderOf(out, child);
      child.kill(signal);
      const end = await exited(child);
      expect(end.signal).toBe(signal);
      expect(readdirSync(out)).toEqual([]);
    });
  }

  it('installs its signal handlers only while packing', async () => {
    const counts = () =>
      (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'exit'] as const).map((e) => process.listenerCount(e));
    const before = counts();
    const dir = tempDir();
    let during: number[] = [];
    await pack([fixture('originals/rec-a.amr')], {
      out: dir,
      zip: false,
      onProgress: () => {
        during = counts();
      },
    });
    expect(during).toEqual(before.map((n) => n + 1));
    expect(counts()).toEqual(before);
  });
});
