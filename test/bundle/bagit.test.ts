// BagIt text files: manifests (sorted, LF, percent-encoded paths) and tag files (folding) round-trip.
import { describe, expect, it } from 'vitest';
import {
  BAGIT_TXT,
  formatManifest,
  formatTags,
  parseManifest,
  parseTags,
  payloadOxum,
  tagValues,
} from '../../src/bundle/bagit.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('manifests', () => {
  it('sorts by UTF-8 bytes, two spaces, LF, percent-encodes CR LF %', () => {
    const text = formatManifest([
      { path: 'data/录音.m4a', digest: A },
      { path: 'data/b 100%.txt', digest: B },
      { path: 'data/a\nb', digest: A },
      { path: 'data/Z.txt', digest: B },
    ]);
    expect(text).toBe(`${B}  data/Z.txt\n${A}  data/a%0Ab\n${B}  data/b 100%25.txt\n${A}  data/录音.m4a\n`);
    const parsed = parseManifest(text);
    expect(parsed.malformed).toEqual([]);
    expect(parsed.entries.map((e) => e.path)).toEqual([
      'data/Z.txt',
      'data/a\nb',
      'data/b 100%.txt',
      'data/录音.m4a',
    ]);
  });

  it('reads CRLF and tabs, reports malformed lines by number', () => {
    const parsed = parseManifest(`${A.toUpperCase()}\tdata/x\r\nnot a line\n${B} data/y`);
    expect(parsed.entries.map((e) => [e.digest, e.path, e.line])).toEqual([
      [A, 'data/x', 1],
      [B, 'data/y', 3],
    ]);
    expect(parsed.malformed).toEqual([2]);
  });
});

describe('tag files', () => {
  it('bagit.txt is the two declaration lines', () => {
    expect(BAGIT_TXT).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  });

  it('folds long free text at spaces, never exact values, and unfolds to the same text', () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const name = `${'录音'.repeat(60)}.m4a`;
    const text = formatTags(
      [
        ['External-Description', long],
        ['Original-Filename', name],
        ['Proves', '借款事实'.repeat(30)],
      ],
      new Set(['Original-Filename']),
    );
    for (const line of text
      .split('\n')
      .filter((l) => !l.startsWith('Original-Filename') && !l.startsWith('Proves')))
      expect(line.length).toBeLessThanOrEqual(79);
    expect(text).toContain(`Original-Filename: ${name}\n`);
    const tags = parseTags(text);
    expect(tags.malformed).toEqual([]);
    expect(tagValues(tags, 'external-description')).toEqual([long]);
    expect(tagValues(tags, 'Original-Filename')).toEqual([name]);
    expect(tagValues(tags, 'Proves')).toEqual(['借款事实'.repeat(30)]);
  });

  it('keeps repeated labels in order and reports lines without a label', () => {
    const tags = parseTags('A: 1\nB: x\nA: 2\nnonsense\n');
    expect(tagValues(tags, 'A')).toEqual(['1', '2']);
    expect(tags.malformed).toEqual([4]);
  });

  it('computes Payload-Oxum as bytes.files', () => {
    expect(payloadOxum([10, 0, 5])).toBe('15.3');
  });
});
