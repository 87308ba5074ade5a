// A step change of the background noise (level or spectral shape) inside a pause: material from another place or time.
import { type BackgroundStep, backgroundSteps } from '../signal/steps.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'background-change',
  title: 'Background noise changes step-wise',
  category: 'signal',
  aspect: 'integrity',
  description:
    "Measures the background noise's level and spectral shape in the pauses and flags points inside a pause where they change in one step, as when material from another place or time is joined there.",
};

/*
 * Thresholds, from the untouched fixtures (8 formats) and the shared device and voice recordings:
 * - shape: untouched fixtures reach shapeQ 3.1 and shapeStep 2.6 dB; phone recordings (AGC, noise
 *   suppression) reach shapeQ 6.0 with 3.2 dB; the fixtures' joins of another room measure shapeQ 9–577.
 * - level: untouched fixtures reach z 4; phone recordings have steps of 4–11 dB (z up to 44) from gain
 *   control, but as ramps (sharpness ≤ 1.7); joins measure 3–6 dB, z 15–34, sharpness 2.5–15.
 * - smoothness: noise suppressors with noise tracking (ffmpeg afftdn tn=1, alone or with dynaudnorm, over
 *   the originals) reach shapeQ 33 with 4 dB, but their band changes are ragged (a quadratic over the
 *   bands explains 5–58 % of them); another room's noise changes colour smoothly (69–82 % where the
 *   shape alone decides).
 * - a suppressor also makes such changes in many pauses, an edit in one or two: when at least
 *   UNSTABLE_SHARE of the pauses (and three) show one, shape changes are only "listen here" marks.
 */
const UNSTABLE_SHARE = 0.25;
const WARN = { shapeQ: 9, shapeDb: 2.5, smoothness: 0.65, levelDb: 3, levelZ: 15, sharpness: 2.5 };
const INFO = { shapeQ: 6, shapeDb: 2, smoothness: 0, levelDb: 2, levelZ: 8, sharpness: 2 };
/** Recorders settle (gain control, noise suppression, encoder start-up) in the first second … */
const START_MARGIN = 1;
/** … and the stop button and handling noise disturb the last moments. */
const END_MARGIN = 0.75;

type Strength = 'warning' | 'info' | undefined;

function strength(step: BackgroundStep, unstableShape: boolean): Strength {
  const shape = (t: typeof WARN): boolean =>
    step.shapeQ >= t.shapeQ && step.shapeStep >= t.shapeDb && step.shapeSmoothness >= t.smoothness;
  const level = (t: typeof WARN): boolean =>
    Math.abs(step.levelStep) >= t.levelDb && step.levelZ >= t.levelZ && step.sharpness >= t.sharpness;
  if (level(WARN) || (shape(WARN) && !unstableShape)) return 'warning';
  return shape(INFO) || level(INFO) ? 'info' : undefined;
}

/**
 * A background step alone is a "listen here" mark: genuine phone recordings step their background by
 * themselves (gain control, noise suppression, a voice note's gate, someone moving the phone) as sharply
 * and as far as the fixtures' joins (level steps to 43 dB, shape changes to 1000× the usual variation on
 * recordings in ../shared/samples/genuine). A step that meets the strong thresholds is marked as such;
 * the review stage makes it a warning only when an independent sign (hum, waveform, silence, bandwidth)
 * falls at the same moment.
 */
function mark(severity: Strength): 'info' | undefined {
  return severity ? 'info' : undefined;
}

export const backgroundChange: Detector = {
  meta,
  run(ctx) {
    const summary = ctx.signal;
    if (!summary?.stats) return notAssessable('no decoded audio');
    if (!summary.noise || summary.noise.windows < 20)
      return notAssessable('too little background between the speech');
    const steps = backgroundSteps(summary).filter(
      (s) => s.at >= START_MARGIN && s.at <= summary.duration - END_MARGIN,
    );
    if (steps.length === 0) return notAssessable('no pause long enough to compare its two halves');

    // A background whose shape jumps in many pauses is processed (noise suppression), not edited.
    const stretches = new Set(steps.map((s) => s.from)).size;
    const jumpy = new Set(steps.filter((s) => s.shapeQ >= WARN.shapeQ).map((s) => s.from)).size;
    const unstableShape = jumpy >= 3 && jumpy >= UNSTABLE_SHARE * stretches;
    // One finding per stretch: the stronger of its shape and level candidates.
    const byStretch = new Map<number, { step: BackgroundStep; severity: 'info'; strong: boolean }>();
    for (const step of steps) {
      const strong = strength(step, unstableShape) === 'warning';
      const severity = mark(strength(step, unstableShape));
      if (!severity) continue;
      const current = byStretch.get(step.from);
      if (!current || (!current.strong && strong)) byStretch.set(step.from, { step, severity, strong });
    }
    const findings: Finding[] = [];
    for (const { step, severity, strong } of byStretch.values()) {
      const level = `${step.levelStep >= 0 ? '+' : ''}${step.levelStep.toFixed(1)} dB`;
      findings.push(
        finding(meta, {
          id: 'background-step',
          severity,
          title: `The background noise changes in one step at ${round3(step.at)} s`,
          detail:
            `Inside the pause from ${round3(step.from)} s to ${round3(step.to)} s the background changes at ${round3(step.at)} s: ` +
            `level ${level} (${step.levelZ.toFixed(0)} standard errors, a step fits ${step.sharpness.toFixed(1)}× better than a gradual change), ` +
            `spectral shape ${step.shapeStep.toFixed(1)} dB RMS across bands (${step.shapeQ.toFixed(1)}× the variation expected within one background). ` +
            (strong
              ? "Material recorded at another place or time joined here leaves this sign, but so can a phone's gain control or noise suppression: on its own it is a mark to listen to, and an independent sign at the same moment makes it a warning."
              : 'A weaker sign: gain control or a noise change in the room can do this too. Listen here.'),
          at: step.at,
          evidence: {
            family: 'background',
            strong,
            levelStepDb: Math.round(step.levelStep * 10) / 10,
            levelZ: Math.round(step.levelZ * 10) / 10,
            sharpness: Math.round(step.sharpness * 10) / 10,
            shapeStepDb: Math.round(step.shapeStep * 10) / 10,
            shapeQ: Math.round(step.shapeQ * 10) / 10,
            shapeSmoothness: Math.round(step.shapeSmoothness * 100) / 100,
            windowsBefore: step.left,
            windowsAfter: step.right,
          },
        }),
      );
    }
    const noise = summary.noise.level;
    return fromFindings(
      findings.sort((a, b) => (a.at ?? 0) - (b.at ?? 0)),
      noise === undefined || !Number.isFinite(noise)
        ? `no background level measured; ${steps.length} pause split(s) examined`
        : `background at ${noise.toFixed(1)} dBFS over ${summary.noise.windows} windows; ${steps.length} pause split(s) examined`,
    );
  },
};
