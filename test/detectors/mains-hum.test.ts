import { describe, expect, it } from 'vitest';
import { mainsHum } from '../../src/detectors/mains-hum.js';
import { inspect } from '../../src/inspect.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';
import { editAt, expectNear, ORIGINALS, runner, serious } from '../signal/fixtures.js';

const run = runner(mainsHum);

describe('mains-hum', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  it('tracks the 50 Hz hum of the untouched recording', async () => {
    const check = (await run('originals/rec-a.wav')).checks[0]!;
    expect(check.outcome).toBe('consistent');
    expect(check.note).toMatch(/^50 Hz mains hum present/);
  });

  it('tracks a harmonic when the codec removes the fundamental (AMR high-pass)', async () => {
    expect((await run('originals/rec-a.amr')).checks[0]?.note).toMatch(
      /^150 Hz hum \(harmonic of 50 Hz mains\)/,
    );
  });

  it.runIf(HAS_SAMPLES)('says so when there is no hum', async () => {
    const voiceMemo = samples('device').find((p) => p.endsWith('Voice 002.m4a'))!;
    expect((await run(voiceMemo)).checks[0]).toEqual({
      id: 'mains-hum',
      outcome: 'not-assessable',
      note: 'no mains hum present',
    });
  });

  // Deletions inside pauses: a sentence from pause to pause, or 7 ms; lossless, re-encoded, packet copy.
  it.each([
    'edited/signal-delete-sentence-wav.wav',
    'edited/signal-delete-sentence-m4a.m4a',
    'edited/signal-delete-sentence-mp3.mp3',
    'edited/signal-delete-copy-m4a.m4a',
    'edited/signal-hum-jump-m4a.m4a',
    'edited/signal-hum-jump-mp3.mp3',
    // The same against a grid whose frequency wanders (±0.05 Hz) and a hum ducked under speech.
    'edited/signal-wander-hum-jump-m4a.m4a',
    'edited/signal-wander-hum-jump-mp3.mp3',
  ])('%s: a phase jump at the cut, confirmed from the nearest blocks', async (file) => {
    const jump = expectNear(await run(file), 'mains-hum-phase-jump', 'warning', editAt(file)[0]!, 0.2);
    expect(Math.abs(jump.evidence?.['shortScaleDegrees'] as number)).toBeGreaterThanOrEqual(90);
  });

  // Close to the end: three hum blocks after the cut, fewer than the five the short measure takes where it
  // can, still confirm the jump (a side may hold 3 to 5 blocks; the score carries the larger error).
  it.each(['edited/signal-hum-jump-wav.wav', 'edited/signal-wander-hum-jump-wav.wav'])(
    '%s: a jump near the end, confirmed from the three hum blocks after it',
    async (file) => {
      const jump = expectNear(await run(file), 'mains-hum-phase-jump', 'warning', editAt(file)[0]!, 0.2);
      expect(jump.evidence?.['blocksAfter']).toBeLessThan(5);
      expect(Math.abs(jump.evidence?.['shortScaleDegrees'] as number)).toBeGreaterThanOrEqual(90);
    },
  );

  // A real grid wanders: measured over 8 s a side, its phase drifts by up to ~95° where nothing was cut.
  it.each(['originals/rec-c.m4a', 'originals/rec-c.mp3', 'originals/rec-c.wav'])(
    '%s: a wandering grid is not a cut',
    async (file) => {
      const result = await run(file);
      expect(result.checks[0]?.note).toMatch(/50 Hz mains hum present/);
      expect(serious(result)).toEqual([]);
    },
  );

  it('measures the phase a 7 ms deletion removes (7 ms × 50 Hz = 126°)', async () => {
    const jump = (await run('edited/signal-hum-jump-wav.wav')).findings[0]!;
    expect(Math.abs(jump.evidence?.['degrees'] as number)).toBeGreaterThan(105);
    expect(Math.abs(jump.evidence?.['degrees'] as number)).toBeLessThan(145);
  });

  // Material from a recording without hum: the hum stops at the join, or is missing for the insert.
  it.each([
    'edited/signal-splice-foreign-wav.wav',
    'edited/signal-splice-foreign-m4a.m4a',
    'edited/signal-splice-foreign-mp3.mp3',
  ])('%s: the hum is missing for the inserted stretch', async (file) => {
    const result = await run(file);
    for (const t of editAt(file)) expectNear(result, 'mains-hum-absent', 'warning', t, 0.3);
  });

  // Hum that stops for good is also an unplugged charger: alone a strong mark, raised by a coinciding sign.
  it.each(['edited/signal-concat-wav.wav', 'edited/signal-concat-m4a.m4a', 'edited/signal-concat-mp3.mp3'])(
    '%s: the hum missing from the join to the end is a strong mark',
    async (file) => {
      const mark = expectNear(await run(file), 'mains-hum-absent', 'info', editAt(file)[0]!, 0.3);
      expect(mark.evidence).toMatchObject({ family: 'hum', strong: true });
    },
  );

  it.each(['edited/signal-concat-wav.wav', 'edited/signal-concat-m4a.m4a', 'edited/signal-concat-mp3.mp3'])(
    '%s: with every check, the hum stopping where the background steps is a warning',
    async (file) => {
      const result = await inspect(fixture(file));
      const hum = expectNear(result, 'mains-hum-absent', 'warning', editAt(file)[0]!, 0.3);
      expect(hum.evidence?.['coincidesWith']).toContain('background-step');
    },
  );

  it('stays consistent when only the room noise changes (same hum)', async () => {
    expect(serious(await run('edited/signal-background-m4a.m4a'))).toEqual([]);
  });
});
