import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaries, ensureExecutable, ffmpegInputUrl } from '../../src/tools/ffmpeg.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-ffmpeg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ffmpeg binaries', () => {
  it('finds the packaged ffmpeg and ffprobe with their versions', async () => {
    const found = await binaries();
    expect(found.ffmpeg.version).toBeTruthy();
    expect(found.ffprobe.version).toBeTruthy();
  });

  it('makes a binary executable when npm skipped the chmod script', () => {
    const path = join(dir, 'tool');
    writeFileSync(path, '#!/bin/sh\necho hi\n');
    chmodSync(path, 0o644);
    ensureExecutable(path);
    expect(statSync(path).mode & 0o111).not.toBe(0);
  });

  it('passes inputs as file: URLs so names are never options or protocols', () => {
    expect(ffmpegInputUrl('/tmp/-i')).toBe('file:/tmp/-i');
    expect(ffmpegInputUrl('/tmp/http:x')).toBe('file:/tmp/http:x');
  });
});
