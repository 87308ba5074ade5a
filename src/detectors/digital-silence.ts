// Digital silence inside the recording: runs of exact zeros (or one repeated sample value) that a microphone never produces.
import { backgroundWindows } from '../signal/speech.js';
import type { ConstantRun, SignalSummary } from '../signal/types.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'digital-silence',
  title: 'Digital silence inside the recording',
  category: 'signal',
  aspect: 'integrity',
  description:
    'Looks for runs of exact zeros or of one repeated sample value inside a recording whose background is otherwise never digitally silent (a muted utterance, an inserted gap).',
};

/** Runs shorter than this (seconds) are ignored: a quiet decoder output can repeat a value briefly. */
const MIN_RUN_SECONDS = 0.02;
/**
 * Recorders pad the start and end with zeros (encoder priming, start-up of the audio path: up to 0.33 s
 * measured on the device samples); runs in these edges are not signs.
 */
const EDGE_SECONDS = 0.5;
/** Background windows around a run (seconds either side) whose level says whether the room was audible. */
const CONTEXT_SECONDS = 3;
/**
 * A background at or above this level (dBFS) is audible room noise: microphones and their pre-amps never
 * output exact zeros there. Below it, a codec or noise suppressor may legitimately zero quiet frames.
 */
const AUDIBLE_BACKGROUND_DB = -80;
/** More interior runs than this means a noise gate or suppressor at work: the runs are the background. */
const MAX_RUNS_FOR_WARNING = 4;
/** At most this many runs are reported one by one. */
const MAX_REPORTED = 20;

interface Candidate {
  run: ConstantRun;
  at: number;
  end: number;
  /** Median background level around the run, dBFS (undefined when there is none). */
  context?: number;
}

/** Where the leading/trailing padding ends: the edge, extended over a run that starts at the very start. */
function edges(summary: SignalSummary, runs: ConstantRun[]): { lead: number; tail: number } {
  const rate = summary.sampleRate;
  const total = Math.round(summary.duration * rate);
  let lead = EDGE_SECONDS * rate;
  let tail = total - EDGE_SECONDS * rate;
  for (const r of runs) {
    if (r.start <= 0.01 * rate) lead = Math.max(lead, r.start + r.length + EDGE_SECONDS * rate);
    if (r.start + r.length >= total - 0.01 * rate) tail = Math.min(tail, r.start - EDGE_SECONDS * rate);
  }
  return { lead, tail };
}

/** Median level of background windows within CONTEXT_SECONDS of [at, end], outside it. */
function contextLevel(summary: SignalSummary, at: number, end: number): number | undefined {
  const stats = summary.stats;
  if (!stats || !summary.speechMask) return undefined;
  const background = backgroundWindows(summary.speechMask, stats.level);
  const from = Math.max(0, Math.floor((at - CONTEXT_SECONDS) / stats.hopSeconds));
  const to = Math.min(stats.count, Math.ceil((end + CONTEXT_SECONDS) / stats.hopSeconds));
  const levels: number[] = [];
  for (let i = from; i < to; i++) {
    const t = i * stats.hopSeconds;
    if (t + stats.hopSeconds > at && t < end) continue;
    if (background[i]) levels.push(stats.level[i]!);
  }
  if (levels.length === 0) return undefined;
  levels.sort((a, b) => a - b);
  return levels[levels.length >> 1];
}

/**
 * Runs shorter than this are reported as context: a recorder that misses a buffer when the device is busy
 * writes one buffer of zeros (10–50 ms; a macOS Voice Memos file here has one of 49 ms), while muting a
 * word or filling a cut takes longer. Twice the longest dropout seen on a genuine recording.
 */
const MIN_WARNING_SECONDS = 0.1;

export const digitalSilence: Detector = {
  meta,
  run(ctx) {
    const summary = ctx.signal;
    const runs = summary?.runs;
    if (!summary || !runs || summary.sampleRate <= 0) return notAssessable('no decoded audio');
    if (summary.duration < 2 * EDGE_SECONDS + MIN_RUN_SECONDS)
      return notAssessable('the recording is too short to tell padding from content');
    const rate = summary.sampleRate;
    const { lead, tail } = edges(summary, runs.runs);
    const minLength = Math.round(MIN_RUN_SECONDS * rate);
    const inside: Candidate[] = [];
    for (const run of runs.runs) {
      if (run.length < minLength || run.start < lead || run.start + run.length > tail) continue;
      const at = run.start / rate;
      const end = (run.start + run.length) / rate;
      const context = contextLevel(summary, at, end);
      inside.push({ run, at, end, ...(context !== undefined ? { context } : {}) });
    }
    if (inside.length === 0)
      return fromFindings([], `no run of identical samples of ${MIN_RUN_SECONDS * 1000} ms or more inside`);

    // A recording that is digitally silent in many places has a gate or suppressor: context, not a sign.
    const recurring = inside.length > MAX_RUNS_FOR_WARNING || runs.runs.length >= 2_000;
    const findings: Finding[] = [];
    for (const c of inside.slice(0, MAX_REPORTED)) {
      const audible = c.context !== undefined && c.context >= AUDIBLE_BACKGROUND_DB;
      const zero = c.run.value === 0;
      const ms = Math.round((c.run.length / rate) * 1000);
      const what = zero ? 'exact zeros' : `one repeated sample value (${c.run.value})`;
      const dropout = c.run.length / rate < MIN_WARNING_SECONDS;
      const severity = audible && !recurring && !dropout ? 'warning' : 'info';
      findings.push(
        finding(meta, {
          id: zero ? 'digital-silence-inside' : 'constant-samples-inside',
          severity,
          title: `${ms} ms of ${zero ? 'digital silence' : 'constant samples'} at ${round3(c.at)} s`,
          detail:
            `${c.run.length} samples of ${what} from ${round3(c.at)} s to ${round3(c.end)} s.` +
            (c.context !== undefined
              ? ` The background around it is at ${c.context.toFixed(1)} dBFS`
              : ' There is no background nearby to compare with') +
            (severity === 'warning'
              ? ': a microphone in that room never outputs exact silence, so this stretch was most likely muted or inserted in editing.'
              : dropout && audible && !recurring
                ? `; shorter than ${MIN_WARNING_SECONDS * 1000} ms, it is as long as the buffer a recorder loses when the device is busy (a dropout), so this is context only. Listen here.`
                : recurring
                  ? '; the recording falls digitally silent in many places, as a noise gate or suppressor does, so this is context only.'
                  : '; the background is so quiet that a codec or noise suppressor may have zeroed it, so this is context only.'),
          at: c.at,
          end: c.end,
          evidence: {
            family: 'silence',
            startSample: c.run.start,
            samples: c.run.length,
            value: c.run.value,
            ...(c.context !== undefined ? { backgroundDb: Math.round(c.context * 10) / 10 } : {}),
            interiorRuns: inside.length,
          },
        }),
      );
    }
    return fromFindings(findings, `${inside.length} run(s) of identical samples inside the recording`);
  },
};
