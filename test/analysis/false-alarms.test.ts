// The false-alarm set: every genuine recording in ../shared/samples (genuine, device, voice) gets no
// warning and no critical finding, and each writer's own habits are explained as info.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/inspect.js';
import type { InspectResult } from '../../src/types.js';
import { HAS_SAMPLES, samples } from '../helpers.js';

const GENUINE = ['genuine', 'device', 'voice'].flatMap((folder) => samples(folder));

async function inspectAll(paths: string[]): Promise<Map<string, InspectResult>> {
  const out = new Map<string, InspectResult>();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        out.set(basename(path), await inspect(path));
      }
    }),
  );
  return out;
}

describe.runIf(HAS_SAMPLES && GENUINE.length > 0)('genuine recordings', () => {
  let results: Map<string, InspectResult>;
  const result = async (name: string): Promise<InspectResult> => {
    results ??= await inspectAll(GENUINE);
    const r = results.get(name);
    expect(r, name).toBeDefined();
    return r!;
  };

  it('none gets a warning or a critical finding', { timeout: 120_000 }, async () => {
    await result(basename(GENUINE[0]!));
    const flagged = [...results.entries()]
      .map(([name, r]) => ({
        name,
        signs: r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}@${f.at}`),
      }))
      .filter(({ signs }) => signs.length > 0);
    expect(flagged).toEqual([]);
    expect(results.size).toBe(GENUINE.length);
  });

  // [file, finding id, quirk]: the oddity is still reported, as the writer's known behaviour.
  it.each([
    ['hbknight__hbknight.github.io__Sisyphos.m4a', 'unreferenced-mdat-bytes', 'apple-recovery-fragments'],
    ['inviviotech__voice__voice.m4a', 'unreferenced-mdat-bytes', 'media-foundation-mdat-prefix'],
    [
      'chiranth-ganapathy__AI-Fraud-detection__Standard recording 1.mp3',
      'trailing-data',
      'coloros-waveform-trailer',
    ],
    ['Lekha-2005__keerthana__voice.opus', 'bos-mid-stream', 'whatsapp-resume-page'],
  ])('%s: %s explained by %s', { timeout: 120_000 }, async (name, id, quirk) => {
    const r = await result(name);
    const hits = r.findings.filter((f) => f.id === id);
    expect(hits.length).toBeGreaterThan(0);
    for (const f of hits) expect(f).toMatchObject({ severity: 'info', evidence: { writerQuirk: quirk } });
  });

  // The same gap holding audio-like bytes instead of Apple's boxes is not the writer's habit: it stays a warning.
  it('still warns when the unreferenced bytes of an Apple file are not its recovery boxes', {
    timeout: 120_000,
  }, async () => {
    const name = 'hbknight__hbknight.github.io__Sisyphos.m4a';
    const gap = (await result(name)).findings.find((f) => f.id === 'unreferenced-mdat-bytes')!;
    const bytes = readFileSync(GENUINE.find((p) => basename(p) === name)!);
    const offset = gap.evidence?.['offset'] as number;
    bytes.fill(0x5a, offset, offset + 16);
    const dir = mkdtempSync(join(tmpdir(), 'ae-quirk-'));
    const copy = join(dir, 'altered.m4a');
    writeFileSync(copy, bytes);
    const altered = await inspect(copy);
    expect(altered.findings).toContainEqual(
      expect.objectContaining({
        id: 'unreferenced-mdat-bytes',
        severity: 'warning',
        evidence: expect.objectContaining({ content: 'data', offset }),
      }),
    );
  });

  it('keeps the timeline of a WhatsApp voice note that was paused and resumed', {
    timeout: 120_000,
  }, async () => {
    const r = await result('Lekha-2005__keerthana__voice.opus');
    expect(r.findings.filter((f) => f.check === 'duration-mismatch' && f.severity !== 'info')).toEqual([]);
    expect(r.media.duration?.container).toBeCloseTo(85.26, 1);
  });
});
