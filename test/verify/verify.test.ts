// verify: intact bundles pass; the tamper matrix fails with exit 1 naming the file; hostile zips are
// refused without writing anything; unusable input exits 2.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { pack } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { bagEntries, type RawEntry, removeTempDirs, tempDir, walk, writeRawZip } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';

afterAll(removeTempDirs);

const NAME = '录音 2024 张三.m4a';
const ORIGINAL = `data/original/${NAME}`;
let base: string;
let bag: string;
let zip: string;
let source: string;

beforeAll(async () => {
  base = tempDir('ae-verify-');
  source = join(base, NAME);
  copyFileSync(fixture('originals/rec-a.m4a'), source);
  const [folder] = await pack([source], { zip: false, out: join(base, 'folder') });
  const [zipped] = await pack([source], { out: join(base, 'zip') });
  bag = folder!.path;
  zip = zipped!.path;
});

/** A fresh copy of the bag folder to damage. */
function bagCopy(): string {
  const dir = tempDir('ae-tamper-');
  const copy = join(dir, '录音 2024 张三-evidence');
  cpSync(bag, copy, { recursive: true });
  return copy;
}

/** A fresh copy of the zip (and its sidecar) to damage. */
function zipCopy(): string {
  const dir = tempDir('ae-tamper-');
  const copy = join(dir, '录音 2024 张三-evidence.zip');
  copyFileSync(zip, copy);
  copyFileSync(`${zip}.sha256`, `${copy}.sha256`);
  return copy;
}

function flipBit(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

/** Flips one bit inside the stored data of a zip entry, in place. */
async function flipInZip(path: string, entryName: string, at: number): Promise<void> {
  const zipFile = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  let start: number | undefined;
  for await (const entry of zipFile.eachEntry()) {
    if (entry.fileName.endsWith(entryName))
      start = (await zipFile.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
  }
  zipFile.close();
  expect(start).toBeDefined();
  flipBit(path, start! + at);
}

describe('intact bundles', () => {
  it('a zip: exit 0, every file OK, the sidecar checked', async () => {
    const run = await cli(['verify', zip]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${ORIGINAL}: OK`);
    expect(run.stdout).toContain('[OK] zip-sidecar');
    expect(run.stdout).toMatch(/Bundle intact: \d+ files OK/);
    expect(run.stdout).not.toMatch(/CHANGED|MISSING|EXTRA|FAILED/);
  });

  it('a folder, also when given the folder it was extracted into', async () => {
    expect((await cli(['verify', bag])).code).toBe(0);
    const outer = tempDir('ae-outer-');
    cpSync(bag, join(outer, 'inner-evidence'), { recursive: true });
    const report = await verify(outer);
    expect(report.ok).toBe(true);
    expect(report.bag).toBe('inner-evidence');
  });

  it('--json gives the report with statuses, checks and a summary', async () => {
    const run = await cli(['verify', zip, '--json']);
    const report = JSON.parse(run.stdout) as Awaited<ReturnType<typeof verify>>;
    expect(report).toMatchObject({ ok: true, kind: 'zip', bag: '录音 2024 张三-evidence' });
    expect(report.summary).toMatchObject({ CHANGED: 0, MISSING: 0, EXTRA: 0 });
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'bagit',
        'payload-manifest',
        'tag-manifest',
        'sm3sums',
        'payload-oxum',
        'bag-info',
        'evidence-record',
        'zip-entries',
        'zip-sidecar',
      ]),
    );
  });

  it('in Chinese when the locale is Chinese', async () => {
    const run = await cli(['verify', zip], { LANG: 'zh_CN.UTF-8' });
    expect(run.stdout).toContain('证据包完好');
  });

  it('--original says whether a file is byte-identical to the bundled original', async () => {
    const same = await cli(['verify', zip, '--original', source]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(
      `has the SHA-256 and SM3 sealed at packing time for the original ${ORIGINAL}`,
    );
    const other = join(tempDir(), 'phone copy.m4a');
    copyFileSync(source, other);
    flipBit(other, 5000);
    const differs = await cli(['verify', bag, '--original', other]);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain(
      'does NOT have the SHA-256 and SM3 sealed at packing time for any original',
    );
    const report = await verify(zip, { original: source });
    expect(report.original).toMatchObject({ identical: true, matches: ORIGINAL });
  });
});

describe('the tamper matrix (exit 1, the file named)', () => {
  const cases: Array<[string, (bagDir: string) => void, RegExp]> = [
    [
      'flip one bit of the original',
      (b) => flipBit(join(b, ORIGINAL), 4321),
      /data\/original\/录音 2024 张三\.m4a: CHANGED/,
    ],
    ['delete a tag file', (b) => unlinkSync(join(b, 'meta/evidence.json')), /meta\/evidence\.json: MISSING/],
    [
      'delete the payload manifest',
      (b) => unlinkSync(join(b, 'manifest-sha256.txt')),
      /manifest-sha256\.txt: MISSING/,
    ],
    [
      'add a file under data/',
      (b) => writeFileSync(join(b, 'data/report/extra.txt'), 'x'),
      /data\/report\/extra\.txt: EXTRA/,
    ],
    [
      'change bag-info.txt',
      (b) =>
        writeFileSync(
          join(b, 'bag-info.txt'),
          readFileSync(join(b, 'bag-info.txt'), 'utf8').replace('Bag-Size', 'Bag-size'),
        ),
      /bag-info\.txt: CHANGED/,
    ],
    ['delete bagit.txt', (b) => unlinkSync(join(b, 'bagit.txt')), /bagit\.txt: MISSING/],
    [
      'delete the tag manifest',
      (b) => unlinkSync(join(b, 'tagmanifest-sha256.txt')),
      /\[FAILED\] tag-manifest: tagmanifest-sha256\.txt is missing/,
    ],
    [
      'edit a line of the SM3 sums',
      (b) =>
        writeFileSync(
          join(b, 'meta/sm3sums.txt'),
          readFileSync(join(b, 'meta/sm3sums.txt'), 'utf8').replace(/^./, (c) => (c === '0' ? '1' : '0')),
        ),
      /meta\/sm3sums\.txt: CHANGED/,
    ],
    [
      'a symbolic link in the payload',
      (b) => symlinkSync('/etc/hostname', join(b, 'data/link')),
      /data\/link: EXTRA \(symbolic link\)/,
    ],
  ];
  for (const [name, damage, expected] of cases) {
    it(`folder: ${name}`, async () => {
      const copy = bagCopy();
      damage(copy);
      const run = await cli(['verify', copy]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(expected);
      expect(run.stdout).toMatch(/Bundle NOT intact/);
    });
  }

  it('zip: change one entry (the original) in place', async () => {
    const copy = zipCopy();
    await flipInZip(copy, NAME, 1000);
    const run = await cli(['verify', copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${ORIGINAL}: CHANGED`);
    expect(run.stdout).toMatch(/\[FAILED\] zip-sidecar: the zip's SHA-256 [0-9a-f]{64} differs/);
  });

  it('zip: change bag-info.txt in place', async () => {
    const copy = zipCopy();
    await flipInZip(copy, 'bag-info.txt', 3);
    const run = await cli(['verify', copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('bag-info.txt: CHANGED');
  });

  it('zip: a sidecar that names another digest fails, a missing one is only noted', async () => {
    const copy = zipCopy();
    writeFileSync(`${copy}.sha256`, `${'0'.repeat(64)}  录音 2024 张三-evidence.zip\n`);
    expect((await cli(['verify', copy])).code).toBe(1);
    unlinkSync(`${copy}.sha256`);
    const run = await cli(['verify', copy]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('not checked');
  });
});

describe('hostile zips are refused and nothing is written', () => {
  const top = '录音 2024 张三-evidence';
  const hostile: Array<[string, RawEntry, string]> = [
    ['zip-slip ../evil', { name: '../evil', data: 'x' }, '"../evil": parent-directory segment (..)'],
    ['zip-slip inside the bag', { name: `${top}/data/../../evil`, data: 'x' }, 'parent-directory segment'],
    ['an absolute path', { name: '/tmp/ae-evil', data: 'x' }, '"/tmp/ae-evil": absolute path'],
    ['a drive letter', { name: 'C:/evil', data: 'x' }, '"C:/evil": drive letter'],
    ['a backslash', { name: `${top}\\..\\evil`, data: 'x' }, 'backslash in the name'],
    [
      'a symlink entry',
      { name: `${top}/data/link`, data: '/etc/passwd', mode: 0o120777 },
      '"data/link": symbolic link',
    ],
    [
      'a duplicate name',
      { name: `${top}/bagit.txt`, data: 'BagIt-Version: 1.0\n' },
      '"bagit.txt": duplicate name',
    ],
    [
      'a local header naming another file',
      { name: `${top}/data/x.txt`, localName: '../../evil.txt', data: 'x' },
      '"data/x.txt": local header names another file',
    ],
  ];
  for (const [name, entry, message] of hostile) {
    it(name, async () => {
      const dir = tempDir('ae-hostile-');
      const work = join(dir, 'work');
      mkdirSync(work);
      const path = join(work, 'hostile.zip');
      writeRawZip(path, [...bagEntries(bag, top), entry]);
      const before = walk(dir);
      const run = await cli(['verify', path]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(message);
      expect(run.stdout).toMatch(/\[FAILED\] zip-entries: unsafe entries refused/);
      expect(walk(dir)).toEqual(before);
      expect(readdirSync(dir)).toEqual(['work']);
      rmSync(dir, { recursive: true, force: true });
    });
  }

  it('a clean zip written by another tool (raw, no descriptor) verifies', async () => {
    const dir = tempDir('ae-raw-');
    const path = join(dir, 'other.zip');
    writeRawZip(path, bagEntries(bag, 'other-evidence'));
    const report = await verify(path);
    expect(report.ok).toBe(true);
    expect(report.bag).toBe('other-evidence');
  });
});

describe('unusable input exits 2', () => {
  it.each([
    ['a missing path', () => join(base, 'nope.zip')],
    [
      'a file that is not a zip',
      () => {
        const path = join(tempDir(), 'fake.zip');
        writeFileSync(path, 'not a zip at all');
        return path;
      },
    ],
    ['a folder that is not a bag', () => tempDir()],
    [
      'a zip without a bag inside',
      () => {
        const path = join(tempDir(), 'plain.zip');
        writeRawZip(path, [{ name: 'readme.txt', data: 'hello' }]);
        return path;
      },
    ],
  ])('%s', async (_, make) => {
    const run = await cli(['verify', make()]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toBe('');
  });

  it('a missing --original file', async () => {
    const run = await cli(['verify', zip, '--original', join(base, 'not-there.m4a')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not-there.m4a');
  });
});
