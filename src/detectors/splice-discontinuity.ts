// "Listen here" marks: waveform and spectrum jumps at pause edges and in pauses that speech and room noise do not make.
import type { SignalSummary } from '../signal/types.js';
import { bandDb } from '../signal/windows.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'splice-discontinuity',
  title: 'Splice-like discontinuities',
  category: 'signal',
  aspect: 'integrity',
  description:
    'Marks points at the edges of pauses and inside pauses where the waveform steps (a high-pass residual outlier) or the spectrum changes from one 20 ms window to the next far more than the recording does elsewhere.',
};

/*
 * Thresholds, as excess over the recording's own background (so a noisy or AGC-driven phone recording
 * sets its own baseline). Measured on the untouched fixtures and the device/voice samples:
 * - residual crest (largest first difference over its RMS): at most 6.5 dB above the background median;
 *   a waveform cut where both sides are not silent steps 10–20 dB above it.
 * - spectral flux between two background windows: at most 6.4 robust standard deviations; joins of two
 *   backgrounds measured 4.2–19 (weak ones overlap the natural range, so they stay "listen here").
 */
const RESIDUAL_INFO_DB = 9;
/*
 * A waveform step this far above the background's largest is a warning: genuine recordings in
 * ../shared/samples reach 11.9 dB, and 15.4 dB beside a recorder's dropout (a run of zeros); 20 dB
 * leaves 4.6 dB over that and 8 dB over the rest.
 */
const RESIDUAL_WARNING_DB = 20;
const FLUX_INFO_Z = 6.5;
const FLUX_WARNING_Z = 12;
/** A flux outlier is a warning only when the background after it stays this different (dB RMS over bands). */
const SUSTAINED_DB = 3;
/** … compared over this many background windows either side (100 ms). */
const SUSTAINED_WINDOWS = 5;
/** Windows this close (windows) to a speech/background transition count as pause edges. */
const EDGE_WINDOWS = 3;
/** The first and last moments of a recording (seconds) are start-up and stop transients. */
const EDGE_SECONDS = 0.5;
/** Marks closer than this (seconds) are one mark. */
const SEPARATION = 0.5;
const MAX_MARKS = 20;

interface Mark {
  at: number;
  kind: 'waveform' | 'spectrum';
  value: number;
  severity: 'warning' | 'info';
  /** A spectrum mark that meets the former warning thresholds (sustained change). */
  strong?: boolean;
}

const median = (values: Float32Array): number => {
  const sorted = values.slice().sort();
  return sorted.length ? sorted[sorted.length >> 1]! : Number.NaN;
};

/** Windows either side of a run of identical samples that belong to the run. */
const RUN_MARGIN_WINDOWS = 1;

/** Windows touching a run of identical samples: digital-silence edges are that detector's business. */
function runWindows(summary: SignalSummary): Uint8Array {
  const stats = summary.stats!;
  const out = new Uint8Array(stats.count);
  for (const r of summary.runs?.runs ?? []) {
    const from = Math.max(0, Math.floor(r.start / stats.hop) - RUN_MARGIN_WINDOWS);
    const to = Math.min(stats.count, Math.ceil((r.start + r.length) / stats.hop) + RUN_MARGIN_WINDOWS);
    out.fill(1, from, to);
  }
  return out;
}

/** RMS over bands of the mean band level after window i minus before it (background windows only), dB. */
function sustainedChange(summary: SignalSummary, i: number): number {
  const stats = summary.stats!;
  const mask = summary.speechMask!;
  const { bandCount, bands } = stats;
  const side = (from: number, to: number): Float64Array | undefined => {
    const mean = new Float64Array(bandCount);
    let n = 0;
    for (let w = Math.max(0, from); w < Math.min(stats.count, to); w++) {
      if (mask[w]) continue;
      n++;
      for (let b = 0; b < bandCount; b++) mean[b]! += Math.max(-100, bandDb(bands[w * bandCount + b]!));
    }
    if (n < 3) return undefined;
    for (let b = 0; b < bandCount; b++) mean[b] = mean[b]! / n;
    return mean;
  };
  const before = side(i - 1 - SUSTAINED_WINDOWS, i - 1);
  const after = side(i + 1, i + 1 + SUSTAINED_WINDOWS);
  if (!before || !after) return 0;
  let sq = 0;
  for (let b = 0; b < bandCount; b++) sq += (after[b]! - before[b]!) ** 2;
  return Math.sqrt(sq / bandCount);
}

export const spliceDiscontinuity: Detector = {
  meta,
  run(ctx) {
    const summary = ctx.signal;
    const stats = summary?.stats;
    const mask = summary?.speechMask;
    if (!summary || !stats || !mask) return notAssessable('no decoded audio');
    const n = stats.count;
    const margin = Math.round(EDGE_SECONDS / stats.hopSeconds);
    const nearRun = runWindows(summary);
    const atEdge = (i: number): boolean => {
      for (let k = Math.max(0, i - EDGE_WINDOWS); k <= Math.min(n - 1, i + EDGE_WINDOWS); k++)
        if (mask[k] !== mask[i]) return true;
      return false;
    };
    const audible = (i: number): boolean => stats.level[i]! > -120;
    // The recording's own background: typical residual crest and window-to-window flux where nobody speaks.
    // Typed arrays: an hour holds 180 000 windows.
    const crest = new Float32Array(n);
    const flux = new Float32Array(n);
    let crestCount = 0;
    let fluxCount = 0;
    for (let i = margin; i < n - margin; i++) {
      if (mask[i] || nearRun[i] || !audible(i)) continue;
      crest[crestCount++] = stats.residualPeak[i]!;
      if (!mask[i - 1]) flux[fluxCount++] = stats.flux[i]!;
    }
    if (crestCount < 20)
      return notAssessable('too little background to learn what a normal transition looks like');
    const crestMedian = median(crest.subarray(0, crestCount));
    const fluxes = flux.subarray(0, fluxCount);
    const fluxMedian = median(fluxes);
    const fluxSpread = Math.max(0.3, 1.4826 * median(fluxes.map((f) => Math.abs(f - fluxMedian))));

    const marks: Mark[] = [];
    for (let i = margin; i < n - margin; i++) {
      if (nearRun[i] || !audible(i)) continue;
      const background = !mask[i];
      if (background || atEdge(i)) {
        const excess = stats.residualPeak[i]! - crestMedian;
        if (excess >= RESIDUAL_INFO_DB) {
          const at = (i * stats.hop + stats.residualPeakAt[i]!) / summary.sampleRate;
          marks.push({
            at,
            kind: 'waveform',
            value: excess,
            severity: excess >= RESIDUAL_WARNING_DB ? 'warning' : 'info',
          });
        }
      }
      if (background && !mask[i - 1] && audible(i - 1)) {
        const z = (stats.flux[i]! - fluxMedian) / fluxSpread;
        if (z >= FLUX_INFO_Z)
          marks.push({
            at: i * stats.hopSeconds,
            kind: 'spectrum',
            value: z,
            // A spectral jump alone stays a mark: genuine recordings reach flux 45× their usual variation
            // (recorder start-up, a voice note's gate, noise suppression), as high as the fixtures' joins.
            // The review stage raises it when an independent sign falls at the same moment.
            severity: 'info',
            strong: z >= FLUX_WARNING_Z && sustainedChange(summary, i) >= SUSTAINED_DB,
          });
      }
    }
    // Strongest first, one mark per SEPARATION.
    const rank = (m: Mark): number =>
      (m.severity === 'warning' ? 1000 : 0) +
      (m.strong ? 500 : 0) +
      (m.kind === 'waveform' ? m.value / RESIDUAL_INFO_DB : m.value / FLUX_INFO_Z);
    const kept: Mark[] = [];
    for (const m of marks.sort((a, b) => rank(b) - rank(a))) {
      if (kept.length >= MAX_MARKS) break;
      if (!kept.some((k) => Math.abs(k.at - m.at) < SEPARATION)) kept.push(m);
    }
    const findings: Finding[] = kept
      .sort((a, b) => a.at - b.at)
      .map((m) =>
        finding(meta, {
          id: 'splice-candidate',
          severity: m.severity,
          title:
            m.kind === 'waveform'
              ? `The waveform steps abruptly at ${round3(m.at)} s`
              : `The background spectrum changes abruptly at ${round3(m.at)} s`,
          detail:
            (m.kind === 'waveform'
              ? `A sample-to-sample jump ${m.value.toFixed(1)} dB above the largest jumps this recording's background makes, at a pause edge or in a pause.`
              : `The background's spectrum changes from one 20 ms window to the next ${m.value.toFixed(1)} times the recording's usual window-to-window variation.`) +
            (m.severity === 'warning'
              ? ' Speech and room noise do not do this; a cut or join does.'
              : m.strong
                ? " A join leaves this sign, and so can a recorder's gain control or noise suppression: a mark to listen to unless an independent sign falls here too."
                : ' A click or a noise in the room can do this too. Listen here.'),
          at: m.at,
          evidence: {
            kind: m.kind,
            family: m.kind === 'waveform' ? 'waveform' : 'background',
            ...(m.strong ? { strong: true } : {}),
            [m.kind === 'waveform' ? 'excessDb' : 'fluxZ']: Math.round(m.value * 10) / 10,
          },
        }),
      );
    return fromFindings(
      findings,
      `background crest ${crestMedian.toFixed(1)} dB, flux ${fluxMedian.toFixed(1)} ± ${fluxSpread.toFixed(1)} dB; ${marks.length} candidate window(s)`,
    );
  },
};
