// Edits of genuine recordings, made now in a temporary folder (never committed): a passage is cut out of
// real phone recordings from ../shared/samples/genuine the way people do it with ffmpeg — re-encoded with
// the defaults, re-encoded carefully (same rate and channels, metadata copied, bit-exact flags), or cut by
// copying packets. Unlike the fixtures, whose originals FFmpeg wrote, these start from real writers.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { BITEXACT, concatCopy, ffmpeg, ffprobePath } from '../fixtures/lib/ffmpeg.mjs';

/** Containers ffmpeg can write back in the same format, by extension. */
const FORMAT = {
  '.m4a': 'ipod',
  '.3gp': '3gp',
  '.mp3': 'mp3',
  '.ogg': 'ogg',
  '.oga': 'ogg',
  '.opus': 'ogg',
  '.amr': 'amr',
  '.wav': 'wav',
};
/** ffmpeg's encoder for a source codec, with the rate it needs (what a user types to keep the codec). */
const ENCODER = {
  aac: ['-c:a', 'aac'],
  mp3: ['-c:a', 'libmp3lame'],
  opus: ['-c:a', 'libopus'],
  amr_nb: ['-c:a', 'libopencore_amrnb', '-ar', '8000', '-ac', '1'],
  amr_wb: ['-c:a', 'libvo_amrwbenc', '-ar', '16000', '-ac', '1'],
  pcm_s16le: ['-c:a', 'pcm_s16le'],
};
/** At most this many recordings per writer group (WRITERS.tsv), so no one writer dominates. */
const PER_GROUP = 3;
/** Seconds removed. */
const CUT = 1.5;

function probe(file) {
  const args = ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file];
  return JSON.parse(
    execFileSync(ffprobePath(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

function ffprobeAvailable() {
  try {
    return existsSync(ffprobePath());
  } catch {
    return false;
  }
}

/** The genuine recordings to edit, a few per writer group. */
function pick(genuineDir) {
  const writers = join(genuineDir, 'WRITERS.tsv');
  const groups = new Map();
  if (existsSync(writers))
    for (const line of readFileSync(writers, 'utf8').split('\n').slice(1)) {
      const [file, , group] = line.split('\t');
      if (file) groups.set(file, group ?? 'other');
    }
  const taken = new Map();
  const out = [];
  for (const name of readdirSync(genuineDir).sort()) {
    const ext = extname(name).toLowerCase();
    if (!FORMAT[ext]) continue;
    const group = groups.get(name) ?? 'other';
    if ((taken.get(group) ?? 0) >= PER_GROUP) continue;
    taken.set(group, (taken.get(group) ?? 0) + 1);
    out.push({ name, ext, group });
  }
  return out;
}

/**
 * Makes the edits in `tmpDir`; returns detection items like the fixtures' manifest entries (kind 'edited',
 * editClass, way, editAt), with `set: 'genuine-edit'` and the source recording.
 */
export function makeGenuineEdits(samplesRoot, tmpDir) {
  const genuineDir = join(samplesRoot, 'genuine');
  if (!existsSync(genuineDir) || !ffprobeAvailable()) return [];
  if (process.env.DEBUG_EDITS) process.stderr.write(`${pick(genuineDir).length} recordings picked\n`);
  const items = [];
  for (const { name, ext, group } of pick(genuineDir)) {
    const input = join(genuineDir, name);
    let info;
    try {
      info = probe(input);
    } catch (error) {
      if (process.env.DEBUG_EDITS) process.stderr.write(`${String(error).slice(0, 300)}\n`);
      continue;
    }
    const audio = info.streams?.find((s) => s.codec_type === 'audio');
    const duration = Number(info.format?.duration ?? audio?.duration);
    if (!audio || !Number.isFinite(duration) || duration < 6) continue;
    const encoder = ENCODER[audio.codec_name];
    if (!encoder) continue;
    const amr = audio.codec_name.startsWith('amr');
    const t0 = Math.round(duration * 0.45 * 100) / 100;
    const t1 = t0 + CUT;
    const stem = name.replace(/[^A-Za-z0-9]+/g, '_').slice(-40);
    const format = FORMAT[ext];
    const filter = `[0:a]atrim=0:${t0},asetpts=N/SR/TB[a];[0:a]atrim=start=${t1},asetpts=N/SR/TB[b];[a][b]concat=n=2:v=0:a=1[o]`;
    const common = {
      kind: 'edited',
      set: 'genuine-edit',
      source: name,
      group,
      format: ext.slice(1),
      editAt: [t0],
    };
    const rate = String(audio.sample_rate);
    const channels = String(audio.channels);
    const bitrate = Number(audio.bit_rate) > 0 ? ['-b:a', String(audio.bit_rate)] : [];
    const made = (file, editClass, way) => items.push({ ...common, file, editClass, way });
    try {
      const out = join(tmpDir, `${stem}-reencode-default${ext}`);
      ffmpeg(['-i', input, '-filter_complex', filter, '-map', '[o]', ...encoder, '-f', format, out]);
      made(out, 'delete-reencode', 'default');
    } catch (error) {
      if (process.env.DEBUG_EDITS) process.stderr.write(`${String(error).slice(0, 300)}\n`);
    }
    try {
      const out = join(tmpDir, `${stem}-reencode-careful${ext}`);
      ffmpeg([
        '-i',
        input,
        '-filter_complex',
        filter,
        '-map',
        '[o]',
        '-map_metadata',
        '0',
        ...encoder,
        ...(amr ? [] : ['-ar', rate, '-ac', channels, ...bitrate]),
        ...BITEXACT,
        '-f',
        format,
        out,
      ]);
      made(out, 'delete-reencode', 'careful');
    } catch (error) {
      if (process.env.DEBUG_EDITS) process.stderr.write(`${String(error).slice(0, 300)}\n`);
    }
    try {
      const a = join(tmpDir, `${stem}-part-a${ext}`);
      const b = join(tmpDir, `${stem}-part-b${ext}`);
      ffmpeg(['-i', input, '-t', String(t0), '-map', '0:a', '-c', 'copy', '-f', format, a]);
      ffmpeg(['-ss', String(t1), '-i', input, '-map', '0:a', '-c', 'copy', '-f', format, b]);
      const out = join(tmpDir, `${stem}-copy-careful${ext}`);
      concatCopy(
        join(tmpDir, `${stem}-list.txt`),
        [a, b],
        ['-i', input, '-map', '0:a', '-map_metadata', '1', '-c', 'copy', ...BITEXACT, '-f', format, out],
      );
      made(out, 'delete-copy', 'careful');
    } catch (error) {
      if (process.env.DEBUG_EDITS) process.stderr.write(`${String(error).slice(0, 300)}\n`);
    }
  }
  return items;
}
