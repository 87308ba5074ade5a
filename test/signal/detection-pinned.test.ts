// Pins what the signal-level detectors find on a handful of fixtures, so that a faster analysis cannot
// quietly change detection: the same warning/critical ids in the same order, at times within one window.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Api from '../../src/index.js';
import { inspect } from '../../src/index.js';
import type { Finding } from '../../src/types.js';
import { ensureBuilt } from '../hardening/support.js';
import { fixture, ROOT } from '../helpers.js';

/** Seconds: the coarsest analysis window (the mains-hum blocks of 100 ms; level windows are 20 ms). */
const WINDOW = 0.1;

type Pinned = [id: string, at: number, end?: number];

/** Measured before issue 16's speed work (the in-thread analysis at full rate); all warnings. */
const PINNED: Array<[string, Pinned[]]> = [
  [
    'edited/signal-mute-wav.wav',
    [
      ['digital-silence-inside', 3.073, 5.042],
      ['mains-hum-absent', 3.1, 5],
    ],
  ],
  [
    'edited/signal-splice-foreign-m4a.m4a',
    [
      ['background-step', 8.84],
      ['background-step', 12.76],
      ['mains-hum-absent', 8.9, 12.7],
    ],
  ],
  ['edited/signal-hum-jump-m4a.m4a', [['mains-hum-phase-jump', 13]]],
  [
    'edited/signal-narrowband-insert-m4a.m4a',
    [
      ['background-step', 8.86],
      ['background-step', 12.76],
      ['bandwidth-change', 8.84, 12.68],
      ['mains-hum-absent', 8.9, 12.7],
      ['splice-candidate', 12.74],
    ],
  ],
  ['edited/signal-zero-gap-m4a.m4a', [['digital-silence-inside', 8.849, 9.242]]],
  [
    'edited/concat-bytes-careful.aac',
    [
      ['background-step', 8.88],
      ['mains-hum-absent', 8.9, 16],
      ['splice-candidate', 8.9],
    ],
  ],
  ['edited/signal-delete-sentence-mp3.mp3', [['mains-hum-phase-jump', 2.694]]],
  ['originals/rec-a.m4a', []],
];

function expectPinned(findings: readonly Finding[], pinned: readonly Pinned[]): void {
  const serious = findings
    .filter((f) => f.severity !== 'info')
    .sort((a, b) => a.id.localeCompare(b.id) || (a.at ?? 0) - (b.at ?? 0));
  expect(serious.map((f) => [f.id, f.severity])).toEqual(pinned.map(([id]) => [id, 'warning']));
  serious.forEach((f, i) => {
    const [, at, end] = pinned[i]!;
    expect(Math.abs(f.at! - at)).toBeLessThanOrEqual(WINDOW);
    if (end === undefined) expect(f.end).toBeUndefined();
    else expect(Math.abs(f.end! - end)).toBeLessThanOrEqual(WINDOW);
  });
}

describe('signal-level detection on fixtures stays as pinned', () => {
  it.each(PINNED)('%s', async (name, pinned) => {
    expectPinned((await inspect(fixture(name))).findings, pinned);
  });

  // The same files with the window analysis forced onto its worker thread (the compiled library).
  it.each(PINNED)('%s, analysed on a worker thread', async (name, pinned) => {
    ensureBuilt();
    const api = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as typeof Api;
    const saved = process.env.AUDIO_EVIDENCE_ANALYSIS_THREAD;
    process.env.AUDIO_EVIDENCE_ANALYSIS_THREAD = 'always';
    try {
      expectPinned((await api.inspect(fixture(name))).findings, pinned);
    } finally {
      if (saved === undefined) delete process.env.AUDIO_EVIDENCE_ANALYSIS_THREAD;
      else process.env.AUDIO_EVIDENCE_ANALYSIS_THREAD = saved;
    }
  });
});
