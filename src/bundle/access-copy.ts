// The access copy (播放副本): a widely playable derivative of the bag's copy of the original, for listening only.
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { decodeSilk } from '../decode/silk-decode.js';
import type { PcmConsumer } from '../decode/types.js';
import { hashFile } from '../hash/digest.js';
import { binaries, ffmpegInputUrl } from '../tools/ffmpeg.js';
import { logger } from '../tools/logger.js';
import { runProcess } from '../tools/run-process.js';
import { type Derivation, type EvidenceEvent, event } from './evidence.js';
import { shQuote } from './readme.js';

const debug = logger('bundle:access');
const require = createRequire(import.meta.url);

/** Up to this length the copy is 16-bit PCM WAV (plays everywhere, ~58 MB for 10 min at 48 kHz mono); longer ones AAC. */
export const WAV_MAX_SECONDS = 600;
/** AAC bit rate per channel: speech stays clear, an hour of mono is ~29 MB. */
const AAC_BITS_PER_CHANNEL = 64_000;

export interface AccessPlan {
  ext: 'wav' | 'm4a';
  /** ffmpeg output options (after the input and stream selection). */
  codec: string[];
}

/** Containers of the MPEG-4 family whose AAC audio can be put into an M4A as it is. */
const MP4_FAMILY = new Set(['mp4', 'mov', '3gp', '3g2']);

/**
 * WAV for recordings up to `wavMax` seconds (and when the length is unknown: nothing to lose), else
 * AAC in M4A with the index at the front so players can seek before it has all loaded. Sample rate is
 * kept; more than two channels are mixed down to stereo for AAC only. A long recording whose audio is
 * already AAC in an MPEG-4 file (mono or stereo) keeps its own AAC frames, put into a fresh M4A without
 * re-encoding: the copy then sounds exactly like the original, and an hour takes a fraction of a second
 * instead of a quarter of a minute of encoding.
 */
export function accessPlan(
  duration: number | undefined,
  channels: number | undefined,
  wavMax = WAV_MAX_SECONDS,
  source: { container?: string; codec?: string } = {},
): AccessPlan {
  if (duration === undefined || duration <= wavMax) return { ext: 'wav', codec: ['-c:a', 'pcm_s16le'] };
  if (
    source.codec === 'aac' &&
    source.container !== undefined &&
    MP4_FAMILY.has(source.container) &&
    channels !== undefined &&
    channels <= 2
  )
    return { ext: 'm4a', codec: ['-c:a', 'copy', '-movflags', '+faststart'] };
  const ch = Math.min(2, Math.max(1, channels ?? 1));
  return {
    ext: 'm4a',
    codec: [
      ...(channels !== undefined && channels > 2 ? ['-ac', '2'] : []),
      '-c:a',
      'aac',
      '-b:a',
      String(AAC_BITS_PER_CHANNEL * ch),
      '-movflags',
      '+faststart',
    ],
  };
}

export interface AccessRequest {
  bagDir: string;
  /** Bag path of the copy of the original (data/original/…), the source of the derivative. */
  source: string;
  /** SHA-256 of that copy (= the original's). */
  sourceSha256: string;
  /** Bag path of the access copy without its extension (data/access/<stem>). */
  target: string;
  container: string;
  duration: number | undefined;
  channels: number | undefined;
  /** The original's audio codec as ffprobe names it (`aac`, …), when known. */
  codec?: string;
  /** Recordings longer than this get AAC (default WAV_MAX_SECONDS). */
  wavMaxSeconds?: number;
}

export interface AccessCopy {
  path: string;
  format: 'wav' | 'm4a';
  size: number;
  sha256: string;
  sm3: string;
  /** What made it: the program and its version. */
  tool: string;
  /** The program and arguments as run, in the bag folder (the first word is the program's path). */
  argv: string[];
  /** The same as one line for people, starting with the program's name, words quoted for a POSIX shell. */
  command: string;
  startedAt: Date;
  endedAt: Date;
}

export type AccessOutcome =
  | { ok: true; copy: AccessCopy }
  | { ok: false; reason: string; tool?: string; command?: string; startedAt: Date; endedAt: Date };

/** Makes the access copy; never throws (a copy that cannot be made is reported, the bundle goes on without it). */
export async function makeAccessCopy(request: AccessRequest): Promise<AccessOutcome> {
  const startedAt = new Date();
  try {
    const made =
      request.container === 'silk'
        ? await fromSilk(request, startedAt)
        : await withFfmpeg(request, startedAt);
    if (!made.ok) return made;
    const { size, digests } = await hashFile(join(request.bagDir, made.copy.path), ['sha256', 'sm3']);
    // A header with no audio after it is no copy to listen to.
    if (size <= 44) return failure(startedAt, 'the decoder produced no audio', made.copy);
    return { ok: true, copy: { ...made.copy, size, sha256: digests.sha256, sm3: digests.sm3 } };
  } catch (error) {
    return failure(startedAt, error instanceof Error ? error.message : String(error));
  }
}

function failure(
  startedAt: Date,
  reason: string,
  copy?: Pick<AccessCopy, 'tool' | 'command'>,
): AccessOutcome & { ok: false } {
  return {
    ok: false,
    reason,
    ...(copy ? { tool: copy.tool, command: copy.command } : {}),
    startedAt,
    endedAt: new Date(),
  };
}

type Made = { ok: true; copy: AccessCopy } | (AccessOutcome & { ok: false });

const unhashed = { size: 0, sha256: '', sm3: '' };

async function withFfmpeg(request: AccessRequest, startedAt: Date): Promise<Made> {
  const { ffmpeg } = await binaries();
  const plan = accessPlan(request.duration, request.channels, request.wavMaxSeconds, {
    container: request.container,
    ...(request.codec === undefined ? {} : { codec: request.codec }),
  });
  const path = `${request.target}.${plan.ext}`;
  // Relative paths, run in the bag folder: the recorded command can be run again there by anyone, and
  // bit-exact output makes the copy's hash reproducible with the same ffmpeg.
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    ffmpegInputUrl(request.source),
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    ...plan.codec,
    '-f',
    plan.ext === 'wav' ? 'wav' : 'ipod',
    '-n',
    ffmpegInputUrl(path),
  ];
  const tool = `ffmpeg ${ffmpeg.version}`;
  const command = ['ffmpeg', ...args].map(shellWord).join(' ');
  debug('%s (in %s)', command, request.bagDir);
  await mkdir(join(request.bagDir, 'data/access'), { recursive: true });
  const run = await runProcess(ffmpeg.path, args, {
    cwd: request.bagDir,
    timeoutMs: 60 * 60_000,
    maxStdout: 1 << 20,
  });
  if (run.code !== 0) {
    const last = run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
    const reason = run.timedOut ? 'ffmpeg timed out' : `ffmpeg failed (${run.code ?? run.signal}): ${last}`;
    await rm(join(request.bagDir, path), { force: true });
    // No empty data/access/ left behind: a bundle without a copy has no such folder.
    await rmdir(join(request.bagDir, 'data/access')).catch(() => undefined);
    return failure(startedAt, reason, { tool, command });
  }
  return {
    ok: true,
    copy: {
      path,
      format: plan.ext,
      ...unhashed,
      tool,
      argv: [ffmpeg.path, ...args],
      command,
      startedAt,
      endedAt: new Date(),
    },
  };
}

/** ffmpeg cannot read SILK: decode it with silk-wasm (as inspect does) and write 16-bit PCM WAV. */
async function fromSilk(request: AccessRequest, startedAt: Date): Promise<Made> {
  const version = (require('silk-wasm/package.json') as { version?: string }).version ?? '?';
  const tool = `silk-wasm ${version}`;
  const path = `${request.target}.wav`;
  const chunks: Int16Array[] = [];
  let rate = 0;
  const collect: PcmConsumer = {
    begin: (sampleRate) => {
      rate = sampleRate;
    },
    push: (samples) => {
      chunks.push(samples.slice());
    },
    end: () => undefined,
  };
  const command = `audio-evidence: silk-wasm ${version} decode ${shellWord(request.source)} → 16-bit PCM WAV, mono, ${'{rate}'} Hz → ${shellWord(path)}`;
  const result = await decodeSilk(join(request.bagDir, request.source), [collect]);
  const line = command.replace('{rate}', String(rate || result.sampleRate));
  if (!result.ok)
    return failure(startedAt, `SILK decode failed: ${result.error ?? 'no audio'}`, { tool, command: line });
  await mkdir(join(request.bagDir, 'data/access'), { recursive: true });
  await writeFile(join(request.bagDir, path), wavFile(chunks, rate || result.sampleRate), { flag: 'wx' });
  return {
    ok: true,
    copy: {
      path,
      format: 'wav',
      ...unhashed,
      tool,
      argv: ['silk-wasm', 'decode', request.source, String(rate), path],
      command: line,
      startedAt,
      endedAt: new Date(),
    },
  };
}

/** A canonical 44-byte-header RIFF/WAVE file of mono 16-bit samples. */
export function wavFile(chunks: readonly Int16Array[], sampleRate: number): Buffer {
  const samples = chunks.reduce((n, c) => n + c.length, 0);
  const data = samples * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVEfmt ', 8, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  let at = 44;
  for (const chunk of chunks)
    for (const sample of chunk) {
      out.writeInt16LE(sample, at);
      at += 2;
    }
  return out;
}

/** A word as a POSIX shell would need it; plain words (options, simple paths) stay bare for reading. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shQuote(word);
}

/** What the derivation event says the copy is for, in the custody log. */
export const ACCESS_PURPOSE =
  'Access copy for listening only (the report player uses it). It is not the original evidence and does not replace it: the original is the source file named here, unchanged.';

/** The PREMIS "derivation" event of one access copy (outcome failure when none could be made). */
export function accessEvent(
  outcome: AccessOutcome,
  source: { path: string; sha256: string },
  agent: string,
): EvidenceEvent {
  if (outcome.ok) {
    const { copy } = outcome;
    const made = event(
      'derivation',
      copy.endedAt,
      `${agent}; ${copy.tool}`,
      `Made ${copy.path} (${copy.format === 'wav' ? '16-bit PCM WAV' : 'AAC in MPEG-4 audio'}, SHA-256 ${copy.sha256}) from ${source.path} (SHA-256 ${source.sha256}), which was only read, ${copy.tool.startsWith('ffmpeg') ? 'by running in the bag folder' : 'by'}: ${copy.command}`,
      [source.path, copy.path],
    );
    const derivation: Derivation = {
      source,
      output: { path: copy.path, sha256: copy.sha256, sm3: copy.sm3, size: copy.size, format: copy.format },
      tool: copy.tool,
      argv: copy.argv,
      commandLine: copy.command,
      purpose: ACCESS_PURPOSE,
    };
    return { ...made, derivation };
  }
  const failed = event(
    'derivation',
    outcome.endedAt,
    outcome.tool ? `${agent}; ${outcome.tool}` : agent,
    `No access copy was made from ${source.path}: ${outcome.reason}. The bundle holds the original only.`,
    [source.path],
    'failure',
  );
  return {
    ...failed,
    derivation: {
      source,
      tool: outcome.tool ?? agent,
      ...(outcome.command ? { commandLine: outcome.command } : {}),
      purpose: ACCESS_PURPOSE,
    },
  };
}
