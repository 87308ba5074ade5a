// Shared document facts: finding numbers, transcript rows (segments, blocks, flags) and the place tag.
import { describe, expect, it } from 'vitest';
import {
  itemFileName,
  MAX_BLOCK_ROWS,
  numberFindings,
  placeFromTags,
  transcriptPlan,
} from '../../src/render/model.js';
import { EDIT_FINDINGS, edited } from './helpers.js';

describe('numberFindings', () => {
  it('numbers originality first, then integrity, keeping the inspect order within each', () => {
    expect(numberFindings(EDIT_FINDINGS).map((n) => [n.number, n.finding.id])).toEqual([
      [1, 'writer-lavf'],
      [2, 'timestamp-gap'],
      [3, 'digital-silence'],
      [4, 'level-step'],
    ]);
  });
});

describe('transcriptPlan', () => {
  it('inserts each placed finding among the speech segments in time order, before a segment starting at the same instant', async () => {
    const result = await edited((r) => {
      r.timeline!.speech = [
        [5.2, 6],
        [0.5, 2],
        [Number.NaN, 3],
        [4, 3],
      ];
    });
    const plan = transcriptPlan(result, numberFindings(result.findings));
    expect(plan.basis).toBe('segments');
    expect(plan.rows.map((r) => [r.kind, r.start])).toEqual([
      ['segment', 0.5],
      ['flag', 5.2],
      ['segment', 5.2],
      ['flag', 12.3],
      ['flag', 16.04],
    ]);
  });

  it.each([
    [20.011, 'blocks', [[0, 20.011]]],
    [
      61,
      'blocks',
      [
        [0, 30],
        [30, 60],
        [60, 61],
      ],
    ],
  ] as const)('falls back to 30-second blocks over %s s', async (duration, basis, blocks) => {
    const result = await edited((r) => {
      r.timeline!.speech = [];
      r.timeline!.duration = duration;
      r.findings = [];
    });
    const plan = transcriptPlan(result, []);
    expect(plan.basis).toBe(basis);
    expect(plan.rows.map((r) => [r.start, 'end' in r ? r.end : undefined])).toEqual(blocks);
  });
});

describe('transcriptPlan: a declared length is not believed on its own (issue 13, case 1)', () => {
  it('sizes blocks by what the file could hold when nothing decoded (a 184-byte APE claiming 58 years)', async () => {
    const result = await edited((r) => {
      r.timeline = { duration: 0, peaks: [], speech: [] };
      r.media.duration = { container: 1825620915.58 };
      r.file.size = 184;
      r.findings = [];
    });
    const plan = transcriptPlan(result, []);
    expect(plan.basis).toBe('blocks');
    expect(plan.rows.length).toBe(1);
    expect(plan.rows[0]).toMatchObject({ start: 0 });
    expect((plan.rows[0] as { end: number }).end).toBeLessThan(4);
  });

  it('keeps the rows to a day of blocks, making each block longer, whatever was decoded', async () => {
    const result = await edited((r) => {
      r.timeline = { duration: 10 * 24 * 3600, peaks: [], speech: [] };
      r.findings = [];
    });
    const plan = transcriptPlan(result, []);
    expect(plan.rows.length).toBeLessThanOrEqual(MAX_BLOCK_ROWS);
    expect(plan.blockSeconds).toBe(300);
    expect(plan.rows.at(-1)).toMatchObject({ end: 10 * 24 * 3600 });
  });
});

describe('placeFromTags', () => {
  it.each([
    [{ 'com.apple.quicktime.location.ISO6709': '+39.9042+116.4074/' }, '+39.9042+116.4074/'],
    [{ '©xyz': '+31.2304+121.4737/' }, '+31.2304+121.4737/'],
    [{ title: 'x', encoder: 'Lavf' }, undefined],
    [{ location: '  ' }, undefined],
  ])('%j → %j', (tags, expected) => {
    expect(placeFromTags(tags)).toBe(expected);
  });
});

describe('itemFileName', () => {
  it('suffixes the item number only when the bag holds several recordings', () => {
    expect(itemFileName('report', 'html', 1, false)).toBe('report.html');
    expect(itemFileName('report', 'html', 3, true)).toBe('report-03.html');
  });
});
