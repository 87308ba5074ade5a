// Sidecar files: names in order, written without overwriting, read only when regular and small.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSidecars, readSmallFile, stampTarget, writeSidecar } from '../../src/timestamp/files.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';

afterAll(removeTempDirs);

describe('timestamp sidecars', () => {
  it('writes .tsr, .2.tsr, .3.tsr without overwriting, and lists them in order', async () => {
    const dir = tempDir('ae-ts-files-');
    const base = join(dir, 'x-evidence.zip');
    writeFileSync(base, 'zip');
    writeFileSync(join(dir, 'x-evidence.zip.reply.tsr'), 'not filed');
    writeFileSync(join(dir, 'y-evidence.zip.tsr'), 'another bundle');
    expect(await writeSidecar(base, 'tsr', Buffer.from('one'))).toBe(`${base}.tsr`);
    expect(await writeSidecar(base, 'tsr', Buffer.from('two'))).toBe(`${base}.2.tsr`);
    expect(await writeSidecar(base, 'tsr', Buffer.from('three'))).toBe(`${base}.3.tsr`);
    expect(readFileSync(`${base}.tsr`, 'utf8')).toBe('one');
    expect(await listSidecars(base, 'tsr')).toEqual([`${base}.tsr`, `${base}.2.tsr`, `${base}.3.tsr`]);
    // No temporary file is left behind.
    expect(
      spawnSync('ls', ['-A', dir], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter((n) => n.includes('.tmp-')),
    ).toEqual([]);
  });

  it('reads only regular files of at most 1 MiB: not a FIFO, a link or a large file', async () => {
    const dir = tempDir('ae-ts-files-');
    writeFileSync(join(dir, 'ok.tsr'), 'token');
    expect((await readSmallFile(join(dir, 'ok.tsr'))).toString()).toBe('token');
    writeFileSync(join(dir, 'big.tsr'), Buffer.alloc(1024 * 1024 + 1));
    await expect(readSmallFile(join(dir, 'big.tsr'))).rejects.toThrow(/larger than/);
    symlinkSync(join(dir, 'ok.tsr'), join(dir, 'link.tsr'));
    await expect(readSmallFile(join(dir, 'link.tsr'))).rejects.toThrow(/not a regular file/);
    if (spawnSync('mkfifo', [join(dir, 'fifo.tsr')]).status === 0)
      await expect(readSmallFile(join(dir, 'fifo.tsr'))).rejects.toThrow(/not a regular file/);
  });

  it('stamps a zip itself and a bag folder through its tag manifest', async () => {
    const dir = tempDir('ae-ts-files-');
    writeFileSync(join(dir, 'a.zip'), 'zip');
    mkdirSync(join(dir, 'bag'));
    writeFileSync(join(dir, 'bag', 'tagmanifest-sha256.txt'), '');
    mkdirSync(join(dir, 'empty'));
    expect(await stampTarget(join(dir, 'a.zip'))).toMatchObject({ kind: 'zip', data: join(dir, 'a.zip') });
    expect(await stampTarget(`${join(dir, 'bag')}/`)).toMatchObject({
      kind: 'folder',
      base: join(dir, 'bag'),
      data: join(dir, 'bag', 'tagmanifest-sha256.txt'),
    });
    expect(await stampTarget(join(dir, 'empty'))).toBeUndefined();
  });
});
