// Folder walking: recordings recognised by their bytes, hidden files, bags and our own outputs skipped,
// explicit files always kept, each file once, folders that yield nothing reported.
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BatchFile, expandInputs } from '../../src/batch/expand.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { fixture } from '../helpers.js';

afterAll(removeTempDirs);

const copy = (name: string, to: string) => copyFileSync(fixture(`originals/${name}`), to);
const files = (entries: Awaited<ReturnType<typeof expandInputs>>['entries']): BatchFile[] =>
  entries.filter((entry): entry is BatchFile => entry.kind === 'file');

/** A folder as a user's download folder looks after an earlier run: recordings, notes, bundles, a bag. */
function messyFolder(): string {
  const root = join(tempDir('ae-expand-'), '案件 材料');
  mkdirSync(join(root, 'sub/deeper'), { recursive: true });
  copy('rec-a.m4a', join(root, '通话 1.m4a'));
  copy('rec-a.amr', join(root, 'sub/语音.amr'));
  copy('rec-a.wav', join(root, 'sub/deeper/no-extension'));
  copy('rec-a.mp3', join(root, 'sub/disguised.txt'));
  copy('rec-a.silk', join(root, 'wechat.dat'));
  writeFileSync(join(root, 'notes.txt'), '证据清单草稿\n');
  writeFileSync(join(root, 'empty.m4a'), '');
  copy('rec-a.m4a', join(root, '.hidden.m4a'));
  writeFileSync(join(root, '通话 1-evidence.zip'), 'PK\u0003\u0004');
  writeFileSync(join(root, '通话 1-evidence.zip.sha256'), `${'0'.repeat(64)}  通话 1-evidence.zip\n`);
  writeFileSync(join(root, 'audio-evidence-log.txt'), '== log\n');
  mkdirSync(join(root, '.通话 1-evidence.tmp-1-0badc0de/bag/data/original'), { recursive: true });
  copy('rec-a.m4a', join(root, '.通话 1-evidence.tmp-1-0badc0de/bag/data/original/x.m4a'));
  mkdirSync(join(root, 'old-evidence/data/original'), { recursive: true });
  writeFileSync(join(root, 'old-evidence/bagit.txt'), 'BagIt-Version: 1.0\n');
  copy('rec-a.m4a', join(root, 'old-evidence/data/original/rec.m4a'));
  return root;
}

describe('expandInputs', () => {
  it('walks a folder recursively and keeps only what is audio by its bytes, in name order', async () => {
    const root = messyFolder();
    const { entries, skipped } = await expandInputs([root]);
    expect(files(entries).map((file) => file.label)).toEqual([
      '案件 材料/sub/deeper/no-extension',
      '案件 材料/sub/disguised.txt',
      '案件 材料/sub/语音.amr',
      '案件 材料/wechat.dat',
      '案件 材料/通话 1.m4a',
    ]);
    for (const file of files(entries)) {
      expect(file.explicit).toBe(false);
      expect(file.given).toBe(root);
      expect(file.size).toBeGreaterThan(0);
    }
    const reasons = Object.fromEntries(skipped.map((s) => [s.label, s.reason]));
    expect(reasons).toEqual({
      '案件 材料/.hidden.m4a': 'hidden',
      '案件 材料/.通话 1-evidence.tmp-1-0badc0de': 'hidden',
      '案件 材料/audio-evidence-log.txt': 'own-output',
      '案件 材料/empty.m4a': 'not-audio',
      '案件 材料/notes.txt': 'not-audio',
      '案件 材料/old-evidence': 'bag',
      '案件 材料/通话 1-evidence.zip': 'own-output',
      '案件 材料/通话 1-evidence.zip.sha256': 'own-output',
    });
  });

  it('always keeps a file the user named, whatever its bytes, and a missing one (reported later)', async () => {
    const dir = tempDir('ae-expand-');
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not audio');
    const empty = join(dir, 'empty.m4a');
    writeFileSync(empty, '');
    const missing = join(dir, 'missing.m4a');
    const { entries } = await expandInputs([notes, empty, missing]);
    expect(entries.map((entry) => [entry.kind, entry.label, (entry as BatchFile).explicit])).toEqual([
      ['file', 'notes.txt', true],
      ['file', 'empty.m4a', true],
      ['file', 'missing.m4a', true],
    ]);
    expect(entries.map((entry) => (entry as BatchFile).path)).toEqual([notes, empty, missing]);
  });

  it('processes a file reached twice (named and inside a named folder, or through a link) once', async () => {
    const dir = tempDir('ae-expand-');
    const rec = join(dir, 'rec.amr');
    copy('rec-a.amr', rec);
    symlinkSync(rec, join(dir, 'link.amr'));
    const { entries } = await expandInputs([rec, dir, rec]);
    expect(entries.map((entry) => entry.label)).toEqual(['rec.amr']);
  });

  it('reports a folder without recordings, and refuses to walk into a bag', async () => {
    const dir = tempDir('ae-expand-');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.txt'), 'hello');
    const bag = join(dir, 'case-evidence');
    mkdirSync(join(bag, 'data/original'), { recursive: true });
    writeFileSync(join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\n');
    copy('rec-a.amr', join(bag, 'data/original/rec.amr'));
    const { entries } = await expandInputs([empty, bag]);
    expect(entries).toMatchObject([
      { kind: 'problem', code: 'batch.no-recordings', given: empty },
      { kind: 'problem', code: 'batch.is-bag', given: bag },
    ]);
  });

  it('does not follow a linked folder inside a walk (it could loop), but walks a linked folder named', async () => {
    const dir = tempDir('ae-expand-');
    const real = join(dir, 'real');
    mkdirSync(real);
    copy('rec-a.amr', join(real, 'a.amr'));
    symlinkSync(dir, join(real, 'loop'));
    const linked = join(dir, 'linked');
    symlinkSync(real, linked);
    const walked = await expandInputs([real]);
    expect(walked.entries.map((entry) => entry.label)).toEqual(['real/a.amr']);
    expect(walked.skipped).toMatchObject([{ label: 'real/loop', reason: 'link-to-folder' }]);
    const viaLink = await expandInputs([linked]);
    expect(viaLink.entries.map((entry) => entry.label)).toEqual(['linked/a.amr']);
  });
});
