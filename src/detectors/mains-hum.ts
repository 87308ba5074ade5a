// Mains hum (50/60 Hz): a recording made near mains wiring carries it with a steady phase; a cut or an insertion breaks that phase or the hum itself.
import { analyseHum, type HumGap } from '../signal/hum.js';
import type { SignalSummary } from '../signal/types.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'mains-hum',
  title: 'Mains hum phase and continuity',
  category: 'signal',
  aspect: 'integrity',
  description:
    'When the recording carries mains hum (50/60 Hz or a harmonic), tracks its phase and frequency through the pauses and flags phase jumps and stretches where the hum is missing.',
};

/**
 * Phase jumps of at least this many degrees (and this many standard errors) are reported. Untouched
 * fixtures measured at most 15° (AAC, MP3, FLAC, AMR) and 34° (Opus at 24 kbit/s, whose coder does not
 * keep low-level phase); a few milliseconds deleted at 50 Hz move the phase by 18° per ms.
 */
const INFO_DEGREES = 40;
const INFO_SCORE = 6;
/** Jumps this large are warnings: twice the largest jump measured on any untouched fixture. */
const WARNING_DEGREES = 70;
const WARNING_SCORE = 10;
/**
 * A warning needs electrical hum — the mains fundamental or an odd harmonic (150/180 Hz), which is what a
 * mains field induces in audio circuits and what survives a codec's high-pass (AMR cuts below ~80 Hz) —
 * with at least this many hum blocks on each side (the score already weighs how many). Even harmonics
 * (100/120 Hz) are also the sound of machines: transformers' and motors' magnetostriction, fridges and
 * fans, which switch on and off by themselves, and a voice's pitch passes through them; genuine phone
 * recordings in ../shared/samples/genuine show 100–146° "jumps" there (two voice notes and an iPad memo).
 */
const WARNING_SIDE_BLOCKS = 3;
/**
 * A warning also needs the jump measured again at its point from the nearest hum blocks on each side (up
 * to five, at least three, within 5 s) to reach CONFIRM_DEGREES. A frequency the common fit misses by δ
 * turns the extrapolated phase by 360°·δ·reach (reach: the blocks' mean distance before plus after, in
 * evidence as shortScaleReach); with the grid's ±0.05 Hz that is up to ~18°/s, ~90° at the 5 s limit.
 * Measured with bench/hum-confirm-study.mjs on 360 uncut synthetic recordings with a wandering grid
 * (120 speech-like recordings × WAV/AAC/MP3; ±0.05 Hz, up to ~0.025 Hz/s, hum ducked under speech): the
 * 8 s measurement reached 70°–103° at 28 points where nothing was cut, the short one at most 80° there
 * (reach 4.9 s); the fixtures' cuts measure 98°–180°. 0 warnings on those 360; the margin over drift is
 * 10° (a cut that turns the phase by less than 90° modulo a cycle is not found this way).
 */
const CONFIRM_DEGREES = 90;
/** Jumps within this distance (seconds) of a hum gap are explained by the gap. */
const GAP_MARGIN = 1;

/** A stretch without hum whose noise floor is this much lower (dB) than elsewhere was suppressed, not replaced. */
const SUPPRESSED_DB = 6;

/** Median noise floor inside `gap` and outside every gap, dBFS. */
function floorLevels(
  summary: SignalSummary,
  gaps: HumGap[],
  gap: HumGap,
): { inside: number; outside: number } {
  const floor = summary.floor;
  const hop = summary.stats?.hopSeconds ?? 0.02;
  const inside: number[] = [];
  const outside: number[] = [];
  for (let i = 0; floor && i < floor.length; i++) {
    const t = i * hop;
    if (t >= gap.at && t < gap.end) inside.push(floor[i]!);
    else if (!gaps.some((g) => t >= g.at && t < g.end)) outside.push(floor[i]!);
  }
  const median = (v: number[]): number => {
    v.sort((a, b) => a - b);
    return v.length ? v[v.length >> 1]! : Number.NaN;
  };
  return { inside: median(inside), outside: median(outside) };
}

export const mainsHum: Detector = {
  meta,
  run(ctx) {
    const summary = ctx.signal;
    if (!summary?.stats) return notAssessable('no decoded audio');
    const hum = analyseHum(summary, { minDegrees: INFO_DEGREES, minScore: INFO_SCORE, maxJumps: 10 });
    if (!hum) return notAssessable('the recording is too short to track mains hum');
    const { presence } = hum;
    if (!presence.present) return notAssessable('no mains hum present');

    const hz = presence.frequency + hum.offsetHz;
    const electrical = (presence.frequency / presence.mains) % 2 === 1;
    const name = `${presence.frequency} Hz ${presence.frequency === presence.mains ? 'mains hum' : `hum (harmonic of ${presence.mains} Hz mains)`}`;
    const findings: Finding[] = [];
    const duration = summary.duration;
    for (const gap of hum.gaps) {
      const toEnd = gap.end >= duration - 0.5;
      const fromStart = gap.at <= 0.5;
      // Foreign material brings its own background; a gate or noise suppressor that removes the hum
      // makes the background itself much quieter there.
      const floors = floorLevels(summary, hum.gaps, gap);
      const suppressed = floors.inside < floors.outside - SUPPRESSED_DB;
      findings.push(
        finding(meta, {
          id: 'mains-hum-absent',
          // Hum that stops for good (or starts) at one point is also what unplugging a charger or
          // switching off a lamp does: alone a mark, a warning when an independent sign coincides.
          severity: suppressed || !electrical || toEnd || fromStart ? 'info' : 'warning',
          title: `The ${name} is missing from ${round3(gap.at)} s${toEnd ? ' to the end' : ` to ${round3(gap.end)} s`}`,
          detail:
            `The ${name} present elsewhere in the recording (${presence.level.toFixed(1)} dBFS) is ${gap.drop.toFixed(0)} dB weaker or absent ` +
            `from ${round3(gap.at)} s to ${round3(gap.end)} s. Mains hum does not stop within one recording unless the equipment was switched; ` +
            (suppressed
              ? `the background there is also ${(floors.outside - floors.inside).toFixed(0)} dB quieter, as when a noise gate or suppressor removes it, so this is context only.`
              : !electrical
                ? 'at an even harmonic the hum can also be a machine (a fridge, a fan, a transformer) that switches itself on and off, so this is a mark to listen to.'
                : toEnd || fromStart
                  ? 'audio without it at one end is consistent with two recordings joined, and also with a charger unplugged or a lamp switched off: a mark to listen to unless another sign falls at the same point.'
                  : 'a stretch without it is consistent with material from another recording inserted there.'),
          at: gap.at,
          end: gap.end,
          evidence: {
            ...(suppressed ? {} : { family: 'hum' }),
            ...(!suppressed && electrical && (toEnd || fromStart) ? { strong: true } : {}),
            frequency: presence.frequency,
            dropDb: Math.round(gap.drop * 10) / 10,
            blocks: gap.blocks,
            floorInsideDb: Math.round(floors.inside * 10) / 10,
            floorOutsideDb: Math.round(floors.outside * 10) / 10,
          },
        }),
      );
    }
    for (const jump of hum.jumps) {
      if (hum.gaps.some((g) => jump.at >= g.at - GAP_MARGIN && jump.at <= g.end + GAP_MARGIN)) continue;
      const degrees = Math.abs(jump.degrees);

      const steady = Math.min(jump.left, jump.right) >= WARNING_SIDE_BLOCKS;
      // The same turn measured from the nearest blocks: a cut shows at both scales, a wandering grid does not.
      const short = jump.confirm;
      const confirmed = short !== undefined && Math.abs(short.degrees) >= CONFIRM_DEGREES;
      const strong =
        degrees >= WARNING_DEGREES && jump.score >= WARNING_SCORE && electrical && steady && confirmed;
      // A deletion of Δ seconds turns the phase by 360°·f·Δ (modulo a cycle).
      const ms = (degrees / 360 / presence.frequency) * 1000;
      findings.push(
        finding(meta, {
          id: 'mains-hum-phase-jump',
          severity: strong ? 'warning' : 'info',
          title: `The ${name} jumps in phase by ${Math.round(jump.degrees)}° near ${round3(jump.at)} s`,
          detail:
            `Before and after ${round3(jump.at)} s the hum runs with a steady phase, but the two sides differ by ${jump.degrees.toFixed(0)}° ` +
            `(${jump.score.toFixed(0)} times the measurement's standard error). Continuous mains hum does not jump; ` +
            `a cut or an insertion of about ${ms.toFixed(1)} ms (or that plus whole cycles of ${(1000 / presence.frequency).toFixed(1)} ms) leaves this sign.` +
            (strong ? '' : ' Listen here.'),
          at: jump.at,
          evidence: {
            family: 'hum',
            ...(degrees >= WARNING_DEGREES && jump.score >= WARNING_SCORE ? { strong: true } : {}),
            frequency: presence.frequency,
            degrees: Math.round(jump.degrees),
            score: Math.round(jump.score * 10) / 10,
            blocksBefore: jump.left,
            blocksAfter: jump.right,
            ...(short ? { shortScaleDegrees: Math.round(short.degrees) } : {}),
            ...(short?.reach !== undefined ? { shortScaleReach: Math.round(short.reach * 100) / 100 } : {}),
          },
        }),
      );
    }
    return fromFindings(
      findings,
      `${name} present at ${presence.level.toFixed(1)} dBFS, ${hz.toFixed(3)} Hz, phase coherence ${presence.coherence.toFixed(2)}`,
    );
  },
};
