// ffprobe's packet listing is parsed from its bytes: the table must hold what Number() makes of the text.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packetTableFromCsv, probePackets } from '../../src/probe/ffprobe.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { fixture } from '../helpers.js';

/** The table as a line-by-line string reading makes it (how the listing was first parsed). */
function byStrings(text: string) {
  const rows: Array<[number, number, number, number]> = [];
  const num = (t: string | undefined): number =>
    t === undefined || t === '' || t === 'N/A' ? Number.NaN : Number(t);
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [pts, duration, size, pos] = line.split(',');
    rows.push([
      num(pts),
      num(duration),
      pos === undefined || pos === 'N/A' ? -1 : Number(pos),
      Number(size) || 0,
    ]);
  }
  return rows;
}

function rowsOf(table: ReturnType<typeof packetTableFromCsv>) {
  return Array.from({ length: table.count }, (_, i) => [
    table.pts[i]!,
    table.duration[i]!,
    table.pos[i]!,
    table.size[i]!,
  ]);
}

describe('packet CSV', () => {
  const odd = [
    '-0.021333,0.021333,170,40,', // side data adds a trailing field
    '',
    '0.000000,0.021333,186,210',
    'N/A,N/A,12,N/A',
    '3599.957333,0.042667,4096,345595948\r',
    '1.5,,7,',
    '-0.000000,0.5,,9',
    '12.25,0.25,3',
    '',
  ].join('\n');

  it('reads values as Number() reads their text, whatever the pieces', () => {
    const expected = byStrings(odd);
    const bytes = Buffer.from(odd, 'latin1');
    expect(rowsOf(packetTableFromCsv([bytes]))).toEqual(expected);
    // One byte at a time: numbers and lines split anywhere.
    const pieces = Array.from(bytes, (b) => Buffer.from([b]));
    expect(rowsOf(packetTableFromCsv(pieces))).toEqual(expected);
  });

  it.each(['originals/rec-a.m4a', 'originals/rec-a.mp3', 'originals/rec-a.opus', 'originals/rec-a.amr'])(
    'parses the listing of %s exactly',
    async (name) => {
      const { ffprobe } = await binaries();
      const args = [
        '-v',
        'error',
        '-select_streams',
        'a:0',
        '-show_entries',
        'packet=pts_time,duration_time,pos,size',
      ];
      const run = spawnSync(ffprobe.path, [...args, '-of', 'csv=p=0', fixture(name)], { maxBuffer: 1 << 26 });
      const text = run.stdout.toString('latin1');
      const expected = byStrings(text);
      expect(expected.length).toBeGreaterThan(100);
      const listed = await probePackets(ffprobe.path, fixture(name));
      expect(listed.error).toBeUndefined();
      expect(rowsOf(listed.packets!)).toEqual(expected);
    },
  );
});
