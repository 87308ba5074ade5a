// The access copy (data/access/): playable, as long as the original, sealed like every payload file, its
// derivation recorded; the report's player points at it; a copy that cannot be made never fails the pack.
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessPlan, makeAccessCopy } from '../../src/bundle/access-copy.js';
import type { Evidence } from '../../src/bundle/evidence.js';
import { pack } from '../../src/bundle/pack.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { runProcess } from '../../src/tools/run-process.js';
import type { InspectResult } from '../../src/types.js';
import { verify } from '../../src/verify/verify.js';
import { fixture } from '../helpers.js';
import { removeTempDirs, sha256, tempDir } from './support.js';

afterAll(removeTempDirs);

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** What ffprobe reads from a file: codec and duration (undefined when it cannot decode it). */
async function probe(path: string): Promise<{ codec: string; duration: number } | undefined> {
  const { ffprobe } = await binaries();
  const run = await runProcess(ffprobe.path, [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_name',
    '-of',
    'json',
    path,
  ]);
  if (run.code !== 0) return undefined;
  const json = JSON.parse(run.stdout.toString('utf8')) as {
    format?: { duration?: string };
    streams?: Array<{ codec_name?: string }>;
  };
  const duration = Number(json.format?.duration);
  const codec = json.streams?.[0]?.codec_name;
  return codec && Number.isFinite(duration) ? { codec, duration } : undefined;
}

/** Every sample decodes: ffmpeg reads the whole copy without an error. */
async function decodesCleanly(path: string): Promise<boolean> {
  const { ffmpeg } = await binaries();
  const run = await runProcess(ffmpeg.path, ['-v', 'error', '-i', path, '-f', 'null', '-']);
  return run.code === 0 && run.stderr.trim() === '';
}

// One codec frame of each format: AMR and SILK 20 ms, AAC 1024 samples at 48 kHz.
const CASES = [
  { fixture: 'rec-a.silk', frame: 0.02 },
  { fixture: 'rec-a.amr', frame: 0.02 },
  { fixture: 'rec-a.m4a', frame: 1024 / 48_000 },
] as const;

describe('pack: the access copy', () => {
  for (const { fixture: name, frame } of CASES) {
    it(`${name}: a playable WAV as long as the original, sealed, with its derivation event`, async () => {
      const dir = tempDir();
      const source = join(dir, name);
      copyFileSync(fixture(`originals/${name}`), source);
      const bytes = readFileSync(source);
      const mtime = statSync(source).mtimeMs;
      const [bundle] = await pack([source], { zip: false, lang: 'en' });
      const bag = bundle!.path;
      const access = 'data/access/rec-a.wav';
      expect(bundle!.access).toEqual([access]);
      const copy = join(bag, access);

      // Playable, and as long as the original (within one codec frame).
      const probed = await probe(copy);
      expect(probed?.codec).toBe('pcm_s16le');
      expect(await decodesCleanly(copy)).toBe(true);
      const inspection = readJson<InspectResult>(join(bag, 'data/report/inspection.json'));
      const original = inspection.media.duration;
      expect(Math.abs(probed!.duration - original.decoded!)).toBeLessThanOrEqual(frame);
      if (original.container !== undefined && name === 'rec-a.m4a')
        expect(Math.abs(probed!.duration - original.container)).toBeLessThanOrEqual(frame);

      // The original was only read: same bytes, same time, in the source and in the bag.
      expect(readFileSync(source).equals(bytes)).toBe(true);
      expect(statSync(source).mtimeMs).toBe(mtime);
      expect(readFileSync(join(bag, 'data/original', name)).equals(bytes)).toBe(true);

      // A payload file like any other: in both manifests, and the bag verifies.
      const digest = sha256(readFileSync(copy));
      expect(readFileSync(join(bag, 'manifest-sha256.txt'), 'utf8')).toContain(`${digest}  ${access}\n`);
      expect(readFileSync(join(bag, 'meta/sm3sums.txt'), 'utf8')).toContain(`  ${access}\n`);
      expect((await verify(bag)).ok).toBe(true);

      // Its derivation: source path and hash, the command, the copy's hash.
      const evidence = readJson<Evidence>(join(bag, 'meta/evidence.json'));
      const derivations = evidence.events.filter((e) => e.type === 'derivation');
      expect(derivations).toHaveLength(1);
      const [event] = derivations;
      expect(event!.outcome).toBe('success');
      expect(event!.objects).toEqual([`data/original/${name}`, access]);
      expect(event!.derivation?.source).toEqual({ path: `data/original/${name}`, sha256: sha256(bytes) });
      expect(event!.derivation?.output).toMatchObject({ path: access, sha256: digest, format: 'wav' });
      expect(event!.derivation?.purpose).toMatch(/not the original/);
      if (name === 'rec-a.silk') expect(event!.derivation?.tool).toMatch(/^silk-wasm /);
      else {
        expect(event!.derivation?.commandLine).toBe(
          `ffmpeg -nostdin -hide_banner -loglevel error -i file:data/original/${name} -map 0:a:0 -vn -sn -dn -map_metadata -1 -map_chapters -1 -fflags +bitexact -flags:a +bitexact -c:a pcm_s16le -f wav -n file:${access}`,
        );
        expect(event!.derivation?.argv?.slice(1)).toContain(`file:data/original/${name}`);
      }

      // The report's player plays that file (a relative path inside the bag), and says what it is.
      const html = readFileSync(join(bag, 'data/report/report.html'), 'utf8');
      const src = /<audio id="player"[^>]* src="([^"]+)"/.exec(html)?.[1];
      expect(src).toBe('../access/rec-a.wav');
      expect(existsSync(join(bag, 'data/report', decodeURIComponent(src!)))).toBe(true);
      const track = /<track kind="captions" src="([^"]+)"/.exec(html)?.[1];
      expect(existsSync(join(bag, 'data/report', decodeURIComponent(track!)))).toBe(true);
      expect(html).toContain('not the original evidence');
      expect(html).toContain(event!.derivation!.commandLine!.replaceAll("'", '&#39;'));

      // README-verify says it in both languages.
      const readme = readFileSync(join(bag, 'meta/README-verify.txt'), 'utf8');
      expect(readme).toContain(`播放副本：${access}`);
      expect(readme).toContain(`Playable copy: ${access}`);
      expect(readme).toContain('is NOT the original recording');
    });
  }

  it('the WebVTT transcript fits the copy: every cue ends within its length', async () => {
    const dir = tempDir();
    copyFileSync(fixture('originals/rec-c.m4a'), join(dir, 'rec-c.m4a'));
    const [bundle] = await pack([join(dir, 'rec-c.m4a')], { zip: false, lang: 'en' });
    const probed = await probe(join(bundle!.path, 'data/access/rec-c.wav'));
    const vtt = readFileSync(join(bundle!.path, 'data/transcript/transcript.vtt'), 'utf8');
    const ends = [...vtt.matchAll(/--> (\d{2}):(\d{2}):(\d{2}\.\d{3})/g)].map(
      (m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]),
    );
    expect(ends.length).toBeGreaterThan(0);
    for (const end of ends) expect(end).toBeLessThanOrEqual(probed!.duration + 0.001);
  });

  it('a recording that cannot be decoded is packed without data/access/, said in the report and the log', async () => {
    const dir = tempDir();
    const source = join(dir, 'empty.m4a');
    writeFileSync(source, '');
    const [bundle] = await pack([source], { zip: false, lang: 'en' });
    const bag = bundle!.path;
    expect(bundle!.access).toBeUndefined();
    expect(existsSync(join(bag, 'data/access'))).toBe(false);
    expect(bundle!.warnings.some((w) => w.startsWith('no playable copy of data/original/empty.m4a'))).toBe(
      true,
    );
    expect((await verify(bag)).ok).toBe(true);
    const evidence = readJson<Evidence>(join(bag, 'meta/evidence.json'));
    const event = evidence.events.find((e) => e.type === 'derivation');
    expect(event?.outcome).toBe('failure');
    const html = readFileSync(join(bag, 'data/report/report.html'), 'utf8');
    expect(html).not.toContain('<audio');
    expect(html).not.toContain('<script');
    expect(html).toContain('This bundle holds no playable copy');
    expect(html).toMatch(/<td>access-copy<\/td>/);
  });
});

describe('accessPlan and the long-recording copy', () => {
  it('WAV up to ten minutes (and when the length is unknown), AAC in M4A beyond', () => {
    expect(accessPlan(600, 1).ext).toBe('wav');
    expect(accessPlan(undefined, 2).ext).toBe('wav');
    expect(accessPlan(601, 1)).toEqual({
      ext: 'm4a',
      codec: ['-c:a', 'aac', '-b:a', '64000', '-movflags', '+faststart'],
    });
    expect(accessPlan(3600, 6).codec).toEqual([
      '-ac',
      '2',
      '-c:a',
      'aac',
      '-b:a',
      '128000',
      '-movflags',
      '+faststart',
    ]);
  });

  it('a long recording already AAC in an MPEG-4 file keeps its AAC frames (no re-encode)', () => {
    const remux = { ext: 'm4a', codec: ['-c:a', 'copy', '-movflags', '+faststart'] };
    expect(accessPlan(3600, 1, 600, { container: 'mp4', codec: 'aac' })).toEqual(remux);
    expect(accessPlan(3600, 2, 600, { container: '3gp', codec: 'aac' })).toEqual(remux);
    // Short ones stay WAV; other codecs, other containers and more than two channels are encoded.
    expect(accessPlan(600, 1, 600, { container: 'mp4', codec: 'aac' }).ext).toBe('wav');
    expect(accessPlan(3600, 1, 600, { container: 'mp4', codec: 'alac' }).codec).toContain('aac');
    expect(accessPlan(3600, 1, 600, { container: 'adts', codec: 'aac' }).codec).toContain('aac');
    expect(accessPlan(3600, 6, 600, { container: 'mp4', codec: 'aac' }).codec).toContain('aac');
    expect(accessPlan(3600, undefined, 600, { container: 'mp4', codec: 'aac' }).codec).toContain('aac');
  });

  /** The access copy of a fixture original treated as long (over a 10 s limit), so the M4A path runs. */
  async function longCopy(name: string, source: { container: string; codec?: string }) {
    const bagDir = tempDir();
    const path = `data/original/${name}`;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(bagDir, 'data/original'), { recursive: true });
    copyFileSync(fixture(`originals/${name}`), join(bagDir, path));
    const outcome = await makeAccessCopy({
      bagDir,
      source: path,
      sourceSha256: sha256(readFileSync(join(bagDir, path))),
      target: 'data/access/rec-a',
      ...source,
      duration: 11,
      channels: 1,
      wavMaxSeconds: 10,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.copy.path).toBe('data/access/rec-a.m4a');
    const copy = join(bagDir, posix.normalize(outcome.copy.path));
    expect((await probe(copy))?.codec).toBe('aac');
    expect(await decodesCleanly(copy)).toBe(true);
    return { bagDir, path, copy, outcome };
  }

  it('copies the AAC frames of a longer M4A into the access copy, without re-encoding', async () => {
    const { outcome } = await longCopy('rec-a.m4a', { container: 'mp4', codec: 'aac' });
    expect(outcome.copy.command).toContain('-c:a copy');
  });

  it('makes a playable AAC/M4A copy of a longer recording, as long as the original within a frame', async () => {
    const { bagDir, path, copy, outcome } = await longCopy('rec-a.wav', { container: 'wav' });
    expect(outcome.copy.command).toContain('-c:a aac');
    const original = await probe(join(bagDir, path));
    expect(Math.abs((await probe(copy))!.duration - original!.duration)).toBeLessThanOrEqual(1024 / 8000);
  });
});
