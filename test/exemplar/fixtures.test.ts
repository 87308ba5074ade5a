// Edited fixtures re-saved by FFmpeg against exemplars of their original: the comparison must name a field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exemplarComparison } from '../../src/detectors/exemplar-comparison.js';
import { compareProfile, type WriterProfile } from '../../src/exemplar/compare.js';
import { FIXTURES, fixture, HAS_SAMPLES } from '../helpers.js';
import { exemplarOf, profiled, sample, structureContext } from './support.js';

interface Entry {
  file: string;
  kind: string;
  format: string;
  note?: string;
}

const manifest = JSON.parse(readFileSync(`${FIXTURES}/manifest.json`, 'utf8')) as { fixtures: Entry[] };

/** Edits done on the bytes (frames cut or joined, headers patched): not re-saved by FFmpeg. */
const BYTE_SURGERY =
  /byte for byte|byte surgery|header fixed|header stale|bytes cut|frames cut|Info fixed|PCM removed|PCM cut/;

/** Fixtures FFmpeg wrote (re-encoded, transcoded, or remuxed with -c copy), with or without metadata copied. */
const RESAVED = manifest.fixtures.filter((e) => e.kind === 'edited' && !BYTE_SURGERY.test(e.note ?? ''));

/** The original a fixture was made from: the same format, or the format a transcode started from. */
function originalOf(file: string, format: string): string {
  const name = file.split('/')[1] ?? '';
  const from =
    /^transcode-(\w+)-/.exec(name)?.[1] ??
    (name.startsWith('signal-amr-to') ? 'amr' : name.startsWith('signal-aac-to') ? 'm4a' : undefined) ??
    (name.startsWith('signal-mp3-to') ? 'mp3' : format);
  return `originals/rec-a.${from}`;
}

/**
 * Genuine recordings of the writer each fixture format stands for (the phone app that writes that format).
 * The fixture originals are FFmpeg files too, so a re-save with the original's own FFmpeg command is only
 * told apart from the app the file claims to come from.
 */
const WRITER_OF: Record<string, string> = {
  m4a: 'genuine/hbknight__hbknight.github.io__Sisyphos.m4a',
  mp3: 'genuine/albertyen67__september__Standard recording 1.mp3',
  wav: 'genuine/marinezo__raash__ZOOM0001.WAV',
  opus: 'genuine/Dimokrat__voice-bot__voice.oga',
  '3gp': 'genuine/x14130114__IOTDoorbell__audio.3gp',
};

/**
 * Formats where nothing the writer controls can differ: raw AMR has only its magic and frame modes (an
 * FFmpeg file and a phone's are byte-compatible), and for FLAC and ADTS AAC there is no genuine recorder
 * exemplar among the samples; re-encodes with the original's own FFmpeg command stay invisible there.
 */
const NO_STRUCTURE_TELL = new Set(['amr', 'flac', 'aac']);

const differences = async (path: string, exemplar: WriterProfile) =>
  compareProfile((await profiled(path)).profile, exemplar).differences.map((d) => d.field);

describe('edited fixtures re-saved by FFmpeg', () => {
  it('are most of the edited fixtures', () => {
    expect(RESAVED.length).toBeGreaterThan(40);
  });

  it.each(RESAVED.map((e) => [e.file, e.format]))(
    '%s differs from an exemplar of its original',
    async (file, format) => {
      const path = fixture(file);
      const own = await differences(path, await exemplarOf(fixture(originalOf(file, format))));
      if (own.length > 0) {
        // The detector names the field in a warning.
        const result = await exemplarComparison.run(
          await structureContext(path, { exemplar: await exemplarOf(fixture(originalOf(file, format))) }),
        );
        const named = result.findings
          .filter((f) => f.severity === 'warning')
          .map((f) => f.evidence?.['field']);
        expect(named.length, file).toBeGreaterThan(0);
        expect(own).toEqual(expect.arrayContaining(named));
        return;
      }
      // Written with the original's own FFmpeg command: compare with the app the format stands for.
      if (NO_STRUCTURE_TELL.has(format) || !HAS_SAMPLES) return;
      const writer = WRITER_OF[format];
      expect(writer, `no exemplar writer for ${format}`).toBeDefined();
      expect(await differences(path, await exemplarOf(sample(writer!))), file).not.toEqual([]);
    },
  );

  it('the untouched originals match their own exemplar', async () => {
    for (const e of manifest.fixtures.filter((f) => f.kind === 'original'))
      expect(await differences(fixture(e.file), await exemplarOf(fixture(e.file)))).toEqual([]);
  });
});
