// Temporary folders and name reservations: who owns them, when they are stale, and what the sweep removes
// (issue 13, case 9: a live pack on another machine sharing a NAS folder must survive the sweep).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTemp,
  currentOwner,
  isStale,
  MARKER,
  nameFree,
  type Owner,
  STALE_AFTER_MS,
  sweepStale,
} from '../../src/bundle/temp.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;
const HOUR = 60 * 60 * 1000;

function owner(fields: Partial<Owner>): Owner {
  return { host: hostname(), pid: process.pid, started: new Date().toISOString(), ...fields };
}

describe('isStale', () => {
  const self = currentOwner();
  it.each([
    ['this host, dead process', { pid: deadPid() }, HOUR, true],
    ['this host, live process', { pid: process.pid }, HOUR, false],
    ['another host, a PID dead here', { host: `not-${hostname()}`, pid: deadPid() }, HOUR, false],
    ['another host, older than a day', { host: `not-${hostname()}`, pid: 1 }, STALE_AFTER_MS + HOUR, true],
  ] as const)('%s → %s', (_, fields, age, stale) => {
    expect(isStale(owner(fields), age, self)).toBe(stale);
  });

  it('an earlier boot of this host: stale even when the PID is taken again', () => {
    expect(isStale(owner({ bootId: 'earlier' }), HOUR, { ...self, bootId: 'now' })).toBe(true);
  });

  it('no owner record (a run that just began, or an older version): only age tells', () => {
    expect(isStale(undefined, HOUR, self)).toBe(false);
    expect(isStale(undefined, STALE_AFTER_MS + HOUR, self)).toBe(true);
  });
});

describe('sweepStale', () => {
  it('removes only own-host dead runs and day-old leftovers; another host’s live run stays', async () => {
    const dir = tempDir('ae-temp-');
    const dead = deadPid();
    const put = (name: string, record?: Owner, ageMs = 0) => {
      const path = join(dir, name);
      mkdirSync(path);
      if (record) writeFileSync(join(path, MARKER), JSON.stringify(record));
      const when = new Date(Date.now() - ageMs);
      utimesSync(path, when, when);
      return path;
    };
    const ownDead = put(`.a-evidence.tmp-${dead}-00000001`, owner({ pid: dead }));
    const nas = put(`.b-evidence.tmp-${dead}-00000002`, owner({ host: 'nas-client-2', pid: dead }));
    const nasOld = put(
      `.c-evidence.tmp-${dead}-00000003`,
      owner({ host: 'nas-client-2', pid: dead }),
      STALE_AFTER_MS + HOUR,
    );
    const fresh = put(`.d-evidence.tmp-${dead}-00000004`);
    const lock = join(dir, '.a-evidence.lock');
    writeFileSync(lock, JSON.stringify(owner({ pid: dead })));
    const liveLock = join(dir, '.e-evidence.lock');
    writeFileSync(liveLock, JSON.stringify(owner({ host: 'nas-client-2', pid: dead })));

    const removed = await sweepStale(dir);
    expect(removed.sort()).toEqual([nasOld, ownDead].sort());
    expect(existsSync(nas)).toBe(true);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(liveLock)).toBe(true);
  });
});

describe('createTemp', () => {
  it('records host, boot and PID in the folder, and reserves a name for one run only', async () => {
    const dir = tempDir('ae-temp-');
    const a = await createTemp(dir, 'x-evidence');
    const b = await createTemp(dir, 'x-evidence');
    try {
      const record = JSON.parse(readFileSync(join(a.path, MARKER), 'utf8')) as Owner;
      expect(record).toMatchObject({ host: hostname(), pid: process.pid });
      if (existsSync('/proc/sys/kernel/random/boot_id'))
        expect(record.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
      expect(await a.reserve(dir, 'x-evidence')).toBe(true);
      expect(await b.reserve(dir, 'x-evidence')).toBe(false);
      expect(await nameFree(dir, 'x-evidence')).toBe(false);
      expect(await b.reserve(dir, 'x-evidence-2')).toBe(true);
    } finally {
      await a.dispose();
      await b.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
