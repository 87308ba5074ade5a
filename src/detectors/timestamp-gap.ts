// Gaps and overlaps in packet timestamps, and lone packets of odd duration inside an otherwise regular stream.
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'timestamp-gap',
  title: 'Packet timestamps',
  category: 'duration',
  aspect: 'integrity',
  description:
    'Walks the audio packets: each should start where the previous one ended, and fixed-frame codecs should keep one packet duration.',
};

/** Codecs whose packets all last the same (one frame) except the last; others vary by design. */
const FIXED_FRAME = /^(aac|mp3|mp2|mp1|amr_nb|amr_wb|ac3|eac3|pcm_|flac|alac|adpcm|gsm)/;
/** A stream whose durations vary this much is timed from a capture clock: odd packets are normal there. */
const REGULAR_SHARE = 0.98;
/** At most this many odd packets count as isolated anomalies. */
const MAX_ISOLATED = 3;
/** Packets at either end may be short (priming, the last partial frame). */
const EDGE = 2;
const MAX_FINDINGS = 20;
/** Share of packets off their expected start beyond which the timestamps are clock-driven. */
const JITTER_SHARE = 0.05;
/** Structure-parser frame issues that are about timing (the rest belong to damage or MP3 checks). */
export const TIMING_KINDS: ReadonlySet<string> = new Set([
  'irregular-sample-duration',
  'granule-gap',
  'granule-backwards',
  'frame-number-gap',
  'page-sequence-gap',
]);

/**
 * How far a packet moves the playback position. Packets many times longer than the rest are stream
 * headers that a chained Ogg stream exposes as packets (they decode to nothing).
 */
export function audible(duration: number, typical: number): number {
  if (!Number.isFinite(duration) || duration < 0) return typical;
  return duration > 8 * typical ? 0 : duration;
}

export function median(values: Float64Array, count: number): number {
  const list: number[] = [];
  for (let i = 0; i < count; i++) if (Number.isFinite(values[i]!) && values[i]! > 0) list.push(values[i]!);
  if (list.length === 0) return Number.NaN;
  list.sort((a, b) => a - b);
  return list[Math.floor(list.length / 2)]!;
}

/**
 * A sample that lasts within ROUNDING_SHARE of the stream's frame length is a capture clock's rounding
 * (Android MediaRecorder stamps samples in microseconds, Media Foundation in 100 ns units: genuine files
 * here are off by 1–5 ticks, at most 0.25 % of a frame). Removing or joining audio without re-encoding
 * moves whole frames, so an edit's odd sample differs by a large part of a frame (50 % and more on the
 * fixtures). The 2 % limit leaves a margin of eight times the largest rounding seen.
 */
const ROUNDING_SHARE = 0.02;

/** The deviation as a share of the frame ("0.24 %"), when an odd sample duration is only clock rounding. */
function clockRounding(data: Record<string, unknown> | undefined): string | undefined {
  const delta = Number(data?.['delta']);
  const nominal = Number(data?.['nominal']);
  if (!Number.isFinite(delta) || !Number.isFinite(nominal) || nominal <= 0 || delta <= 0) return undefined;
  const share = Math.abs(delta - nominal) / nominal;
  return share <= ROUNDING_SHARE ? `${(share * 100).toFixed(2)} %` : undefined;
}

export const timestampGap: Detector = {
  meta,
  run(ctx) {
    const p = ctx.packets;
    if (!p || p.count < 3) return notAssessable('no packet timestamps (ffprobe listed no audio packets)');
    const typical = median(p.duration, p.count);
    if (!Number.isFinite(typical)) return notAssessable('packets carry no durations');
    const codec = (ctx.media.codec ?? ctx.probe?.audio?.codec_name ?? '').toLowerCase();
    const findings: Finding[] = [];
    // Containers stamped from a send or capture clock (ASF, some 3GP) jitter on every packet; there only a
    // jump of several packets is a gap, not the jitter itself.
    let jittered = 0;
    for (let i = 1; i < p.count; i++) {
      const delta = p.pts[i]! - (p.pts[i - 1]! + p.duration[i - 1]!);
      if (Number.isFinite(delta) && Math.abs(delta) > 0.001) jittered++;
    }
    const jittery = jittered / (p.count - 1) > JITTER_SHARE;
    const limit = jittery ? Math.max(3 * typical, 0.5) : Math.max(0.5 * typical, 0.001);

    // Playback position: where each packet's audio lands when decoded (the decoder does not fill gaps).
    let position = Number.isFinite(p.pts[0]!) ? p.pts[0]! : 0;
    let gaps = 0;
    let odd = 0;
    let inexact = 0;
    const oddAt: Array<{ index: number; position: number; duration: number }> = [];
    let checked = 0;
    for (let i = 1; i < p.count; i++) {
      const prevDuration = Number.isFinite(p.duration[i - 1]!) ? p.duration[i - 1]! : typical;
      position += audible(prevDuration, typical);
      const expected = p.pts[i - 1]! + prevDuration;
      const pts = p.pts[i]!;
      if (Number.isFinite(pts) && Number.isFinite(p.pts[i - 1]!)) {
        const delta = pts - expected;
        if (Math.abs(delta) > limit) {
          gaps++;
          if (findings.length < MAX_FINDINGS) {
            const gap = delta > 0;
            findings.push(
              finding(meta, {
                id: gap ? 'timestamp-gap' : 'timestamp-overlap',
                severity: 'critical',
                title: gap
                  ? `${round3(delta)} s missing from the timestamps at ${round3(Math.max(0, position))} s`
                  : `Timestamps jump back ${round3(-delta)} s at ${round3(Math.max(0, position))} s`,
                detail:
                  `Packet ${i} should start at ${round3(expected)} s (previous start + duration) but is stamped ${round3(pts)} s. ` +
                  (gap
                    ? 'A gap inside one stream: audio between the two packets was removed.'
                    : 'An overlap inside one stream: a second piece of audio starts with its own timeline.'),
                at: Math.max(0, position),
                evidence: {
                  packet: i,
                  expected: round3(expected),
                  pts: round3(pts),
                  delta: round3(delta),
                  typical: round3(typical),
                },
              }),
            );
          }
        }
      }
      // Odd durations inside the stream, for codecs whose frames never change length.
      if (i >= EDGE && i < p.count - EDGE && FIXED_FRAME.test(codec)) {
        checked++;
        const d = p.duration[i]!;
        if (Number.isFinite(d) && Math.abs(d - typical) > Math.max(1e-4, 0.002 * typical)) inexact++;
        if (Number.isFinite(d) && Math.abs(d - typical) > limit) {
          odd++;
          if (oddAt.length < MAX_FINDINGS) oddAt.push({ index: i, position, duration: d });
        }
      }
    }
    // Any deviation counts here: a capture-clocked writer jitters a little everywhere, a copy-join once.
    const regular = checked > 0 && (checked - inexact) / checked >= REGULAR_SHARE;
    if (odd > 0 && odd <= MAX_ISOLATED && regular) {
      for (const o of oddAt)
        findings.push(
          finding(meta, {
            id: 'irregular-packet-duration',
            severity: 'warning',
            title: `A ${Math.round(o.duration * 1000)} ms packet among ${Math.round(typical * 1000)} ms packets at ${round3(Math.max(0, o.position))} s`,
            detail:
              `Packet ${o.index} lasts ${round3(o.duration)} s while the other ${checked - odd} inner packets of this ${codec} stream last ${round3(typical)} s. ` +
              'An encoder writes one frame length throughout; a lone odd duration is where stream-copied pieces were joined.',
            at: Math.max(0, o.position),
            evidence: { packet: o.index, duration: round3(o.duration), typical: round3(typical) },
          }),
        );
    }
    // Timing faults the structure parser found in the container's own index (Ogg granules and page numbers,
    // FLAC frame numbers, MP4 sample durations); packet-level findings at the same place are not repeated.
    if (ctx.identified.container !== 'mp3') {
      for (const issue of ctx.structure?.frameIssues ?? []) {
        if (!TIMING_KINDS.has(issue.kind)) continue;
        const at = issue.at;
        const dup = findings.some(
          (f) => f.at !== undefined && at !== undefined && Math.abs(f.at - at) < 0.5 && f.severity !== 'info',
        );
        if (dup || findings.length >= MAX_FINDINGS) continue;
        const rounding = clockRounding(issue.data);
        findings.push(
          finding(meta, {
            id: issue.kind,
            severity: issue.strong ? 'critical' : rounding ? 'info' : 'warning',
            title: at !== undefined ? `${issue.detail} at ${round3(at)} s` : issue.detail,
            detail:
              `${issue.detail}${issue.offset !== undefined ? ` (byte ${issue.offset})` : ''}. ` +
              (rounding
                ? `The difference is ${rounding} of a frame: a writer that stamps samples from a capture clock rounds that way, and no whole frame of audio fits in it, so nothing was removed or joined here.`
                : "The container's own timing breaks here: pieces were removed or joined without re-encoding."),
            ...(at !== undefined ? { at } : {}),
            ...(issue.end !== undefined ? { end: issue.end } : {}),
            evidence: { kind: issue.kind, ...(issue.data ?? {}) },
          }),
        );
      }
    }
    const note =
      `${p.count} packets of ${round3(typical)} s; ${gaps} gap(s)/overlap(s)` +
      (jittery
        ? ` (timestamps jitter on ${jittered} packets: only jumps over ${round3(limit)} s count)`
        : '') +
      (odd > 0 && !(odd <= MAX_ISOLATED && regular)
        ? `; packet durations vary throughout (${inexact} of ${checked} differ), as when timing follows a capture clock`
        : odd > 0
          ? `; ${odd} odd packet duration(s)`
          : '');
    return fromFindings(findings, note);
  },
};
