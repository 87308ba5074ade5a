// Declared durations (headers, indexes) against counted frames and decoded samples, with codec-aware tolerance.
import type { AnalysisContext } from '../analysis/context.js';
import type { DeclaredDuration } from '../formats/types.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'duration-mismatch',
  title: 'Declared against counted duration',
  category: 'duration',
  aspect: 'integrity',
  description:
    'Compares the durations the file declares (container, track, Xing/LAME, WAV header, Ogg granules, FLAC total samples) with the frames it holds and the samples it decodes to.',
};

/** Seconds of audio the single decode produced, when it produced any. */
export function decodedSeconds(ctx: AnalysisContext): number | undefined {
  const d = ctx.decode;
  if (!d || d.samples <= 0 || d.sampleRate <= 0) return undefined;
  return d.samples / d.sampleRate;
}

const FLOOR = 0.05;

/**
 * How far declared and real durations may differ without meaning anything: encoder delay and padding
 * (AAC priming 1024 + up to 1024 padding and 2112 for HE, MP3 delay 1105 + padding up to a frame, Opus
 * pre-skip plus a packet), a frame at either end, and resampling in the analysis decode.
 */
export function durationTolerance(ctx: AnalysisContext): number {
  const rate = ctx.media.sampleRate && ctx.media.sampleRate > 0 ? ctx.media.sampleRate : 8000;
  const codec = (ctx.media.codec ?? ctx.probe?.audio?.codec_name ?? '').toLowerCase();
  let samples: number;
  if (codec.startsWith('aac')) samples = 2112 + 2 * 1024;
  else if (codec.startsWith('mp3') || codec === 'mp2' || codec === 'mp1') samples = 1105 + 3 * 1152;
  else if (codec === 'opus') samples = 0.13 * rate;
  else if (codec.startsWith('amr')) samples = 3 * (rate / 50);
  else if (codec === 'vorbis') samples = 2 * 2048;
  else if (codec.startsWith('pcm') || codec === 'flac' || codec === 'alac') samples = 0.02 * rate;
  else samples = 0.1 * rate;
  const priming = ctx.structure?.priming;
  const primed =
    priming && priming.sampleRate > 0 ? (priming.delay + priming.padding) / priming.sampleRate : 0;
  return FLOOR + samples / rate + primed;
}

/**
 * Durations the file declares. The structure parser's, or else ffprobe's where ffprobe reads a header or
 * index (MP4 track, FLAC STREAMINFO, Ogg granules, MP3 Xing/Info): ffprobe's ADTS/AMR/plain-MP3 durations
 * are bitrate estimates, not declarations, and are never used.
 */
export function declaredDurations(ctx: AnalysisContext): DeclaredDuration[] {
  const parsed = (ctx.structure?.declared ?? []).filter((d) => Number.isFinite(d.seconds) && d.seconds > 0);
  if (parsed.length > 0) return parsed;
  const container = ctx.identified.container;
  const streamDuration = Number(ctx.probe?.audio?.duration);
  const out: DeclaredDuration[] = [];
  const ok = Number.isFinite(streamDuration) && streamDuration > 0;
  if (ok && ['mp4', '3gp', '3g2', 'mov'].includes(container))
    out.push({ source: 'mp4-track (ffprobe)', seconds: streamDuration });
  else if (ok && container === 'flac')
    out.push({ source: 'flac-streaminfo (ffprobe)', seconds: streamDuration });
  else if (ok && container === 'ogg') out.push({ source: 'ogg-granule (ffprobe)', seconds: streamDuration });
  else if (ok && container === 'mp3' && hasXingHeader(ctx.head, ctx.identified.offset))
    out.push({ source: 'xing (ffprobe)', seconds: streamDuration });
  else if (container === 'wav') {
    const wav = wavHeaderDuration(ctx.head);
    if (wav) out.push(wav);
  }
  return out;
}

/** A Xing/Info/VBRI header in the first MPEG frame (ffprobe then reports the frame count it declares). */
function hasXingHeader(head: Buffer, offset: number): boolean {
  const frame = head.subarray(offset, offset + 200).toString('latin1');
  return /Xing|Info|VBRI/.test(frame);
}

/** The WAV data chunk's declared size as seconds (fallback when no WAV parser ran). */
function wavHeaderDuration(head: Buffer): DeclaredDuration | undefined {
  let byteRate = 0;
  for (let i = 12; i + 8 <= head.length; ) {
    const id = head.toString('latin1', i, i + 4);
    const size = head.readUInt32LE(i + 4);
    if (id === 'fmt ' && i + 16 <= head.length) byteRate = head.readUInt32LE(i + 16);
    if (id === 'data') {
      // 0 and 0xFFFFFFFF mean "size unknown" (streamed or RF64), not a declaration.
      if (byteRate <= 0 || size === 0 || size === 0xffffffff) return undefined;
      return { source: 'wav-data', seconds: size / byteRate };
    }
    i += 8 + size + (size % 2);
  }
  return undefined;
}

const fmt = (s: number): string => `${round3(s)} s`;

export const durationMismatch: Detector = {
  meta,
  run(ctx) {
    const declared = declaredDurations(ctx);
    const counted = (ctx.structure?.counted ?? []).filter((c) => Number.isFinite(c.seconds) && c.seconds > 0);
    const decoded = decodedSeconds(ctx);
    const tolerance = durationTolerance(ctx);
    // In a file with video, the movie header covers the longest track, not the audio.
    const hasVideo = (ctx.probe?.streams ?? []).some((s) => s.codec_type === 'video');
    const audioDeclared = declared.filter((d) => !(hasVideo && d.source === 'mvhd'));
    if (audioDeclared.length === 0)
      return notAssessable(
        counted.length > 0
          ? 'the format declares no duration of its own (only counted frames); nothing to compare'
          : 'no declared duration (the format has no duration field, or it could not be read)',
      );
    const findings: Finding[] = [];
    const evidenceBase = {
      declared: audioDeclared.map((d) => ({ source: d.source, seconds: round3(d.seconds) })),
      counted: counted.map((c) => ({ source: c.source, seconds: round3(c.seconds), frames: c.frames })),
      decoded: decoded === undefined ? undefined : round3(decoded),
      tolerance: round3(tolerance),
    };

    // The header/index against what the file really holds: counted frames first, then the decode.
    const actual = counted.length > 0 ? counted : [];
    const reported = new Set<string>();
    // Fields that agree with one another (mvhd, tkhd, mdhd) make one finding, not three.
    const merged: Array<{ seconds: number; sources: string[]; finding: Finding }> = [];
    for (const d of audioDeclared) {
      const references: Array<{ source: string; seconds: number }> = [...actual];
      if (decoded !== undefined && ctx.decode?.ok !== false)
        references.push({ source: 'decoded', seconds: decoded });
      for (const ref of references) {
        const diff = ref.seconds - d.seconds;
        if (Math.abs(diff) <= tolerance || reported.has(d.source)) continue;
        reported.add(d.source);
        const same = merged.find((m) => Math.abs(m.seconds - d.seconds) <= tolerance);
        if (same) {
          same.sources.push(d.source);
          if (same.finding.evidence) same.finding.evidence['alsoDeclaredBy'] = same.sources.slice(1);
          continue;
        }
        const shorter = Math.min(ref.seconds, d.seconds);
        const longer = Math.max(ref.seconds, d.seconds);
        const missing = diff < 0;
        const made = finding(meta, {
          id: missing ? 'content-shorter-than-declared' : 'content-longer-than-declared',
          severity: 'critical',
          title: missing
            ? `The file declares ${fmt(d.seconds)} but holds only ${fmt(ref.seconds)} of audio`
            : `The file holds ${fmt(ref.seconds)} of audio but declares only ${fmt(d.seconds)}`,
          detail:
            `${d.source} declares ${fmt(d.seconds)}; ${ref.source === 'decoded' ? 'the decode yields' : `counting ${ref.source} gives`} ` +
            `${fmt(ref.seconds)} (${missing ? 'missing' : 'extra'} ${fmt(Math.abs(diff))}, tolerance ${fmt(tolerance)} for codec delay and padding). ` +
            (missing
              ? 'Audio ends before the declared end: content was removed or cut off after the header was written.'
              : 'Audio continues past the declared end: content was added or removed without updating the header.'),
          at: shorter,
          end: longer,
          evidence: { ...evidenceBase, source: d.source, reference: ref.source, difference: round3(diff) },
        });
        findings.push(made);
        merged.push({ seconds: d.seconds, sources: [d.source], finding: made });
      }
    }

    // Two declarations that disagree: one field was updated and the other was not.
    for (let i = 0; i < audioDeclared.length; i++) {
      for (let j = i + 1; j < audioDeclared.length; j++) {
        const a = audioDeclared[i]!;
        const b = audioDeclared[j]!;
        if (reported.has(a.source) || reported.has(b.source)) continue;
        if (Math.abs(a.seconds - b.seconds) <= tolerance) continue;
        reported.add(a.source);
        reported.add(b.source);
        findings.push(
          finding(meta, {
            id: 'declared-durations-disagree',
            severity: 'critical',
            title: `Two duration fields disagree: ${a.source} ${fmt(a.seconds)}, ${b.source} ${fmt(b.seconds)}`,
            detail: `The file's own duration fields differ by ${fmt(Math.abs(a.seconds - b.seconds))} (tolerance ${fmt(tolerance)}): one was rewritten and the other was not.`,
            at: Math.min(a.seconds, b.seconds),
            end: Math.max(a.seconds, b.seconds),
            evidence: evidenceBase,
          }),
        );
      }
    }
    const summary = `declared ${audioDeclared.map((d) => `${d.source} ${fmt(d.seconds)}`).join(', ')}; ${
      counted.length ? `counted ${counted.map((c) => `${c.source} ${fmt(c.seconds)}`).join(', ')}; ` : ''
    }${decoded !== undefined ? `decoded ${fmt(decoded)}` : 'not decoded'}`;
    return fromFindings(findings, summary);
  },
};
