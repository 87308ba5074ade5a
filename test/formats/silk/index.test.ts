// SILK parser: the untouched fixtures (Tencent and plain), packets cut short, the end marker, and the
// real WeChat/QQ voice messages of the shared samples.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferByteSource } from '../../../src/formats/byte-source.js';
import { silkParser } from '../../../src/formats/silk/index.js';
import type { StructureReport } from '../../../src/formats/types.js';
import { fixture, samples } from '../../helpers.js';

const TENCENT = readFileSync(fixture('originals/rec-a.silk'));
const PLAIN = readFileSync(fixture('originals/rec-a-plain.silk'));

const parse = (bytes: Buffer): Promise<StructureReport> => silkParser.parse(new BufferByteSource(bytes));
const signs = (r: StructureReport) => [...r.truncation, ...r.appended, ...r.frameIssues];

/** Offset of the first byte after `n` packets (walking the length prefixes). */
function packetEnd(bytes: Buffer, n: number): number {
  let pos = bytes[0] === 0x02 ? 10 : 9;
  for (let i = 0; i < n; i++) pos += 2 + bytes.readInt16LE(pos);
  return pos;
}

describe('silkParser on untouched files', () => {
  it.each([
    ['Tencent', TENCENT, 'tencent'],
    ['plain', PLAIN, 'plain'],
  ])('%s: every packet walked, no sign', async (_label, bytes, variant) => {
    const report = await parse(bytes);
    expect(report.complete).toBe(true);
    expect(signs(report)).toEqual([]);
    expect(report.details).toEqual({ variant, packets: 600 });
  });

  it.each(samples('voice').filter((p) => readFileSync(p).subarray(0, 10).includes('#!SILK_V3')))(
    'shared sample %s: no sign',
    async (path) => {
      const report = await parse(readFileSync(path));
      expect(report.complete).toBe(true);
      expect(signs(report)).toEqual([]);
    },
  );
});

describe('silkParser on damaged files', () => {
  it('a file cut inside a packet: strong partial-last-frame placed at the packet', async () => {
    const cut = packetEnd(TENCENT, 250) + 7;
    const report = await parse(TENCENT.subarray(0, cut));
    expect(report.complete).toBe(false);
    expect(report.truncation).toHaveLength(1);
    expect(report.truncation[0]).toMatchObject({
      kind: 'partial-last-frame',
      offset: packetEnd(TENCENT, 250),
      at: 5,
      strong: true,
      data: { present: 5 },
    });
  });

  it('a file cut one byte into a length prefix', async () => {
    const report = await parse(PLAIN.subarray(0, packetEnd(PLAIN, 10) + 1));
    expect(report.truncation.map((s) => [s.kind, s.at, s.strong])).toEqual([
      ['partial-last-frame', 0.2, true],
    ]);
  });

  it('a file cut on a packet boundary cannot be told from an untouched one', async () => {
    const report = await parse(TENCENT.subarray(0, packetEnd(TENCENT, 100)));
    expect(signs(report)).toEqual([]);
    expect(report.details['packets']).toBe(100);
  });

  it('the SDK end marker (-1) ends the walk; bytes after it are trailing data', async () => {
    const marker = Buffer.from([0xff, 0xff]);
    const ended = await parse(Buffer.concat([PLAIN, marker]));
    expect(signs(ended)).toEqual([]);
    expect(ended.details['endMarker']).toBe(PLAIN.length);
    const trailing = await parse(Buffer.concat([PLAIN, marker, Buffer.from('junk')]));
    expect(trailing.appended.map((s) => [s.kind, s.offset, s.strong])).toEqual([
      ['trailing-data', PLAIN.length + 2, false],
    ]);
  });

  it('a negative length other than the end marker stops the walk as an invalid packet', async () => {
    const bytes = Buffer.from(PLAIN);
    bytes.writeInt16LE(-5, packetEnd(PLAIN, 3));
    const report = await parse(bytes);
    expect(report.complete).toBe(false);
    expect(report.frameIssues.map((s) => [s.kind, s.at])).toEqual([['invalid-frame', 0.06]]);
  });

  it('no magic: a warning, nothing walked', async () => {
    const report = await parse(Buffer.from('#!SILK_V2 and then some'));
    expect(report.complete).toBe(false);
    expect(report.warnings).toEqual(['no SILK v3 magic (#!SILK_V3)']);
  });
});
