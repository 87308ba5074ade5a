// A pack that is killed or interrupted leaves nothing under the final name: the built CLI is run on a
// longer recording and stopped while its temporary folder exists.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { fixture, ROOT } from '../helpers.js';
import { removeTempDirs, tempDir, walk } from './support.js';

afterAll(removeTempDirs);

const require = createRequire(import.meta.url);
const BIN = join(ROOT, 'dist/bin.js');
const TEMP = /^\.long-evidence\.tmp-(\d+)-[0-9a-f]{8}$/;

/** Builds dist/ when it is missing or older than the sources (CI builds it before the tests). */
function ensureBuilt(): void {
  const newest = Math.max(...walk(join(ROOT, 'src')).map((f) => statSync(join(ROOT, 'src', f)).mtimeMs));
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newest) return;
  // Emits even when another part of the tree has type errors; only the bundle path is exercised here.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

let long: string;

beforeAll(() => {
  ensureBuilt();
  const dir = tempDir('ae-signals-');
  long = join(dir, 'long.m4a');
  // Thirty minutes of the fixture, stream-copied: a few seconds of work for pack, instant to make.
  const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const made = spawnSync(ffmpeg, [
    '-v',
    'error',
    '-stream_loop',
    '89',
    '-i',
    fixture('originals/rec-a.m4a'),
    '-c',
    'copy',
    long,
  ]);
  expect(made.status).toBe(0);
}, 120_000);

/** Waits until the run is copying the original into its temporary folder, and returns that folder. */
async function tempFolderOf(out: string, child: ChildProcess): Promise<string> {
  for (;;) {
    const found = readdirSync(out).find((name) => TEMP.test(name));
    if (found && existsSync(join(out, found, 'bag/data/original/long.m4a'))) return join(out, found);
    if (child.exitCode !== null) throw new Error('pack ended before its copy was seen');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

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
    expect(readdirSync(out).sort()).toEqual(['long-evidence.zip', 'long-evidence.zip.sha256']);
    expect((await verify(bundle!.path, { original: long })).ok).toBe(true);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
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
    const before = [
      process.listenerCount('SIGINT'),
      process.listenerCount('SIGTERM'),
      process.listenerCount('exit'),
    ];
    const dir = tempDir();
    await pack([fixture('originals/rec-a.amr')], { out: dir, zip: false });
    expect([
      process.listenerCount('SIGINT'),
      process.listenerCount('SIGTERM'),
      process.listenerCount('exit'),
    ]).toEqual(before);
  });
});
