import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { inspect } from '../src/inspect.js';
import type { InspectResult } from '../src/types.js';
import { fixture, HAS_SAMPLES, SAMPLES, samples } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The contract of DESIGN.md, checked field by field. */
function expectContract(result: InspectResult): void {
  expect(result.tool.name).toBe('audio-evidence');
  expect(result.tool.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(result.tool.ffmpeg).toBeTruthy();
  expect(result.tool.ffprobe).toBeTruthy();
  expect(result.file.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(result.file.sm3).toMatch(/^[0-9a-f]{64}$/);
  expect(Number.isNaN(Date.parse(result.file.modified))).toBe(false);
  expect(typeof result.format.container).toBe('string');
  expect(typeof result.format.extensionMatches).toBe('boolean');
  expect(result.media.duration).toBeTypeOf('object');
  expect(result.media.tags).toBeTypeOf('object');
  expect(Array.isArray(result.checks)).toBe(true);
  for (const check of result.checks)
    expect(['consistent', 'inconsistent', 'not-assessable']).toContain(check.outcome);
  for (const f of result.findings) {
    expect(['info', 'warning', 'critical']).toContain(f.severity);
    expect(['originality', 'integrity']).toContain(f.aspect);
    expect(['duration', 'encoding', 'structure', 'metadata', 'signal']).toContain(f.category);
    expect(result.checks.map((c) => c.id)).toContain(f.check);
    expect(f.title.length).toBeGreaterThan(0);
  }
  expect(['no-signs-found', 'review-recommended', 'signs-of-editing']).toContain(result.summary.verdict);
  // The JSON must survive a round trip (no BigInt, no cycles).
  expect(JSON.parse(JSON.stringify(result)).file.sha256).toBe(result.file.sha256);
}

describe('inspect on the untouched fixtures', () => {
  it.each([
    ['rec-a.m4a', 'mp4', 'aac', 48000, 20],
    ['rec-a.mp3', 'mp3', 'mp3', 22050, 20],
    ['rec-a.wav', 'wav', 'pcm_s16le', 8000, 11],
    ['rec-a.amr', 'amr', 'amr_nb', 8000, 20],
    ['rec-a.3gp', '3gp', 'amr_wb', 16000, 20],
    ['rec-a.opus', 'ogg', 'opus', 48000, 20],
    ['rec-a.flac', 'flac', 'flac', 8000, 10],
    ['rec-a.aac', 'aac', 'aac', 48000, 20],
    ['rec-a.silk', 'silk', 'silk', 24000, 12],
  ])('%s: contract JSON with media facts', async (name, container, codec, rate, seconds) => {
    const path = fixture(`originals/${name}`);
    const before = statSync(path);
    const bytes = readFileSync(path);
    const result = await inspect(path);
    expectContract(result);
    expect(result.format.container).toBe(container);
    expect(result.format.extensionMatches).toBe(true);
    expect(result.media.codec).toBe(codec);
    expect(result.media.sampleRate).toBe(rate);
    expect(result.media.channels).toBe(1);
    expect(result.media.duration.decoded).toBeGreaterThan(seconds - 0.1);
    expect(result.media.duration.decoded).toBeLessThan(seconds + 0.1);
    expect(result.file.size).toBe(bytes.length);
    // The original is sacred: same bytes, same mtime.
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('damaged and odd input is still inspected', () => {
  const m4a = readFileSync(fixture('originals/rec-a.m4a'));
  const cases: Array<[string, string, Buffer, string]> = [
    ['0-byte file', 'empty.m4a', Buffer.alloc(0), 'empty-file'],
    ['1-byte file', 'one.mp3', Buffer.from([0xff]), 'not-audio'],
    [
      'random bytes named .m4a',
      'random.m4a',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
      'not-audio',
    ],
    [
      'a PDF renamed .m4a',
      'paper.m4a',
      Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      'not-audio',
    ],
    [
      'a PNG renamed .m4a',
      'image.m4a',
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]),
      'not-audio',
    ],
    ['an M4A cut to its first 2000 bytes', 'cut.m4a', m4a.subarray(0, 2000), 'undecodable'],
  ];
  it.each(cases)('%s', async (_label, name, bytes, id) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const result = await inspect(path);
    expectContract(result);
    expect(result.findings.map((f) => f.id)).toContain(id);
    expect(result.file.size).toBe(bytes.length);
  });

  it('names with spaces, Chinese characters and a leading dash', async () => {
    for (const name of ['录音 2024-05-01 下午.m4a', '-rf.m4a', 'a:b%20c.m4a']) {
      const path = join(dir, name);
      copyFileSync(fixture('originals/rec-a.m4a'), path);
      const result = await inspect(path);
      expect(result.file.name).toBe(name);
      expect(result.media.duration.decoded).toBeGreaterThan(19.9);
    }
  });

  it('follows a symlink and records both paths', async () => {
    const link = join(dir, 'link.m4a');
    symlinkSync(fixture('originals/rec-a.m4a'), link);
    const result = await inspect(link);
    expect(result.file.path).toBe(link);
    expect(result.file['realPath']).toBe(fixture('originals/rec-a.m4a'));
  });

  it.each([
    ['a missing path', join(dir, 'missing.m4a'), 'input-missing'],
    ['a directory', dir, 'input-not-file'],
  ])('refuses %s with exit code 2', async (_label, path, code) => {
    const error = await inspect(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe(code);
    expect((error as InputError).exitCode).toBe(2);
  });
});

describe.skipIf(!HAS_SAMPLES)('every shared sample gets contract JSON', () => {
  const folders = ['device', 'voice', 'encoder', 'corrupt', 'other'];
  const files = folders.flatMap((folder) =>
    samples(folder).map((path) => [path.slice(SAMPLES.length + 1), path]),
  );
  it.each(files)('%s', { timeout: 30_000 }, async (_name, path) => {
    const result = await inspect(path!);
    expectContract(result);
  });

  it('device recordings are decoded and raise no warning or critical finding', async () => {
    for (const path of samples('device')) {
      const result = await inspect(path);
      expect(result.media.duration.decoded, path).toBeGreaterThan(0);
      const loud = result.findings.filter((f) => f.severity !== 'info');
      expect(
        loud.map((f) => `${f.id}: ${f.title}`),
        path,
      ).toEqual([]);
    }
  });

  it('decodes WeChat/QQ SILK voice messages, also when disguised as .amr', async () => {
    for (const path of samples('voice').filter((p) => /Lidure/.test(p))) {
      const result = await inspect(path);
      expect(result.format.container).toBe('silk');
      expect(result.media.codec).toBe('silk');
      expect(result.media.duration.decoded).toBeGreaterThan(0.5);
    }
  });
});
