// Interrupted packs, beyond test/bundle/signals.test.ts: a SIGKILL leaves nothing under the final name
// (zip and --no-zip), the next run of the real CLI sweeps only the temporary folders it recognises as its
// own (pattern and dead owner) and leaves every foreign folder alone; SIGINT/SIGTERM clean a --no-zip run.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../bundle/support.js';
import {
  BIN,
  ensureBuilt,
  exited,
  fileState,
  makeLongRecording,
  STACK_LINE,
  tempFolderOf,
} from './support.js';

const _TEMP = /^\.long-evidence\.tmp-(\d+)-[0-9a-f]{8}$/;

let long: string;

beforeAll(() => {
  ensureBuilt();
  long = join(tempDir('ae-interrupt-'), 'long.m4a');
  // Thirty minutes of the fixture, stream-copied: a few seconds of work for pack, instant to make.
  expect(makeLongRecording(long)).toBe(0);
}, 120_000);

function startPack(out: string, extra: string[] = []): ChildProcess {
  return spawn(process.execPath, [BIN, 'pack', long, '--out', out, ...extra], { stdio: 'ignore' });
}

/** A pid that belonged to a process which has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** The real CLI, as a separate process, in English. */
function runCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
    timeout: 120_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('SIGKILL, then the next run', () => {
  for (const zip of [true, false]) {
    it(`${zip ? 'zip' : '--no-zip'}: nothing under the final name; the next CLI run sweeps only its own stale folders`, async () => {
      const out = join(tempDir('ae-kill-'), 'out');
      mkdirSync(out);
      const source = fileState(long);
      const child = startPack(out, zip ? [] : ['--no-zip']);
      const temp = await tempFolderOf(out, child);
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
      // Only the hidden temporary folder and the run's hidden name reservation are left: no bag, zip or
      // sidecar under a final name.
      expect(readdirSync(out).sort()).toEqual(['.long-evidence.lock', temp.slice(out.length + 1)].sort());
      expect(fileState(long)).toEqual(source);

      // What else may sit in an output folder: another run's stale folder (also ours), a live run's
      // folder, and things that only look similar. Only what is provably ours and dead may go.
      const dead = deadPid();
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        const otherStale = `.other-evidence.tmp-${dead}-0badc0de`;
        const otherHost = `.long-evidence.tmp-${dead}-0fadedff`;
        const foreign = [
          `.long-evidence.tmp-${sleeper.pid}-0123abcd`, // a live process's run
          otherHost, // a run on another machine sharing the folder: its PIDs are not ours to judge
          `.long-evidence.tmp-${dead}-NOTHEX00`, // not our suffix
          `.long-evidence.tmp-${dead}-0badc0de-x`, // something after it
          `long-evidence.tmp-${dead}-0badc0de`, // not hidden
          `.long.tmp-${dead}-0badc0de`, // not a bag name
          '.long-evidence', // a user's hidden folder
          'notes',
        ];
        for (const name of [otherStale, ...foreign]) {
          mkdirSync(join(out, name));
          writeFileSync(join(out, name, 'keep.txt'), name);
        }
        // Runs record who they are; a PID is judged only on the host (and boot) that wrote it.
        const owner = (host: string, pid: number) =>
          JSON.stringify({ host, pid, started: new Date().toISOString() });
        writeFileSync(join(out, otherStale, 'owner.json'), owner(hostname(), dead));
        writeFileSync(join(out, otherHost, 'owner.json'), owner(`not-${hostname()}`, dead));
        writeFileSync(
          join(out, `.long-evidence.tmp-${sleeper.pid}-0123abcd`, 'owner.json'),
          owner(hostname(), sleeper.pid!),
        );

        const next = runCli(['pack', long, '--out', out, ...(zip ? [] : ['--no-zip'])]);
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).not.toMatch(STACK_LINE);
        expect(next.stderr).toContain(temp);
        expect(next.stderr).toContain(join(out, otherStale));
        const finals = zip ? ['long-evidence.zip', 'long-evidence.zip.sha256'] : ['long-evidence'];
        expect(readdirSync(out).sort()).toEqual([...foreign, ...finals, 'long-evidence-forms'].sort());
        for (const name of foreign) expect(existsSync(join(out, name, 'keep.txt'))).toBe(true);
        const verified = runCli(['verify', join(out, finals[0]!), '--original', long]);
        expect(verified.code, verified.stdout).toBe(0);
      } finally {
        sleeper.kill('SIGKILL');
      }
    });
  }
});

describe('SIGINT / SIGTERM during a --no-zip pack', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: the temporary folder is removed and no bag folder appears`, async () => {
      const out = join(tempDir('ae-int-'), 'out');
      mkdirSync(out);
      const child = startPack(out, ['--no-zip']);
      await tempFolderOf(out, child);
      child.kill(signal);
      expect((await exited(child)).signal).toBe(signal);
      expect(readdirSync(out)).toEqual([]);
    });
  }
});
