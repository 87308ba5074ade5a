// Bandwidth history: narrowband content in a wideband file, a lossy codec's cutoff in a lossless file, a bandwidth that changes mid-file.
import { bandwidthProfile, refineCrossing } from '../signal/bandwidth.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'bandwidth-history',
  title: 'Bandwidth history',
  category: 'signal',
  aspect: 'originality',
  description:
    "Compares where the audio's content ends with what the file's codec and sample rate allow: telephone-band content in a wideband file, a lossy codec's lowpass in WAV/FLAC, or a bandwidth that changes inside the recording.",
};

/** Lossless codecs (ffprobe names): content ending well below Nyquist with a cliff needs an explanation. */
const LOSSLESS = /^(pcm_(s|u|f)\d|flac|alac|ape|wavpack|tta|mlp|truehd)/;
/** Wideband lossy codecs whose own bandwidth at speech bitrates is far above the telephone band. */
const WIDEBAND_LOSSY = /^(aac|mp3|mp2|vorbis|wmav|ac3|eac3)/;
/** Half of the common sample rates: content that ends there was sampled at that rate before. */
const HALF_RATES = [4000, 5512.5, 8000, 11025, 12000, 16000, 22050, 24000];

/*
 * Thresholds, from the untouched fixtures, the device and voice samples and the encoder samples:
 * - telephone band: AMR-NB and phone calls end at 3.4–4 kHz; after AAC/MP3 coding the content reaches
 *   at most 4.7 kHz (AMR-NB → AAC fixture). No wideband-coded device or voice sample ends below 8 kHz.
 * - a lossy lowpass in lossless audio: the long-term spectrum falls ≥ 25 dB within 1 kHz (MP3 → WAV and
 *   AAC → FLAC fixtures: 48–49 dB), from −6 to −36 dB within 2–4 % of the edge frequency (an 8 → 32 kHz
 *   resampler: 20 %); lossless music samples run to Nyquist; content whose −6 dB edge lies within −12…+1 %
 *   of a common half-rate is a resampled recording, not a codec's lowpass.
 * - a change: per-second bandwidths of untouched files vary by ±5 %; an inserted AMR segment halves it.
 */
const TELEPHONE_TOP = 5000;
const WIDEBAND_TOP = 8500;
const CUTOFF_DROP_DB = 25;
/** A codec's lowpass falls 30 dB within 2–4 % of its frequency; a resampler's transition takes ~20 %. */
const CUTOFF_WIDTH = 0.08;
const CUTOFF_BELOW_NYQUIST = 0.9;
const CHANGE_RATIO = 0.6;
const CHANGE_WARNING_RATIO = 0.5;
const MIN_CHANGE_SEGMENTS = 2;
/** Seconds of active audio needed before the bandwidth says anything. */
const MIN_ACTIVE_SECONDS = 1;

const kHz = (hz: number): string => `${(hz / 1000).toFixed(1)} kHz`;

/** A resampler's passband ends a little below the lower rate's Nyquist frequency, never above it. */
function standardHalfRate(edge: number): number | undefined {
  return HALF_RATES.find((h) => edge >= 0.88 * h && edge <= 1.01 * h);
}

export const bandwidthHistory: Detector = {
  meta,
  run(ctx) {
    const summary = ctx.signal;
    if (!summary?.stats) return notAssessable('no decoded audio');
    const profile = bandwidthProfile(summary);
    if (!profile || profile.windows * summary.stats.hopSeconds < MIN_ACTIVE_SECONDS)
      return notAssessable('too little audible content to measure its bandwidth');
    const codec = (ctx.media.codec ?? '').toLowerCase();
    const rate = summary.sampleRate;
    const { top, nyquist } = profile;
    const findings: Finding[] = [];
    const evidence = {
      codec,
      sampleRate: rate,
      contentTopHz: Math.round(top),
      ...(Number.isFinite(profile.edgeDropDb) ? { edgeDropDb: Math.round(profile.edgeDropDb) } : {}),
      edgeHz: Math.round(profile.edgeHz),
      edgeWidthHz: Math.round(profile.edgeWidthHz),
    };

    if (WIDEBAND_LOSSY.test(codec) && rate >= 22050 && top <= WIDEBAND_TOP) {
      const telephone = top <= TELEPHONE_TOP;
      findings.push(
        finding(meta, {
          id: telephone ? 'narrowband-content' : 'band-limited-content',
          severity: telephone ? 'warning' : 'info',
          title: `The audio ends at ${kHz(top)} inside a ${rate / 1000} kHz ${codec.toUpperCase()} file`,
          detail:
            `The content stops at about ${kHz(top)} although the file's ${codec} coding at ${rate} Hz carries up to ${kHz(nyquist)}. ` +
            (telephone
              ? 'That is the telephone band: the audio passed through a narrowband stage (a phone call, an AMR-NB recording) before it was encoded into this file. Inconsistent with a recorder writing this format directly from its microphone.'
              : 'The audio passed through a 16 kHz stage (wideband call, AMR-WB, a 16 kHz recorder) before this encoding.'),
          evidence,
        }),
      );
    }

    if (LOSSLESS.test(codec) && rate >= 16000 && top <= CUTOFF_BELOW_NYQUIST * nyquist) {
      const half = standardHalfRate(profile.edgeHz);
      if (half !== undefined) {
        findings.push(
          finding(meta, {
            id: 'upsampled-content',
            severity: 'info',
            title: `The audio ends at ${kHz(top)}: recorded at ${(2 * half) / 1000} kHz and converted up`,
            detail: `The content of this ${rate} Hz ${codec} file stops at about ${kHz(top)}, the limit of a ${2 * half} Hz recording: it was sampled at that rate and converted to ${rate} Hz.`,
            evidence: { ...evidence, formerRate: 2 * half },
          }),
        );
      } else if (
        profile.edgeDropDb >= CUTOFF_DROP_DB &&
        profile.edgeWidthHz <= CUTOFF_WIDTH * profile.edgeHz
      ) {
        findings.push(
          finding(meta, {
            id: 'lossy-cutoff-in-lossless',
            severity: 'warning',
            title: `A lossy codec's cutoff at ${kHz(top)} inside lossless ${codec} audio`,
            detail:
              `The content of this ${rate} Hz ${codec} file ends abruptly at ${kHz(top)} (the spectrum falls ${profile.edgeDropDb.toFixed(0)} dB within 1 kHz), ` +
              'well below its Nyquist frequency and not at a common sample-rate limit: the lowpass of an MP3/AAC-type encoder. The audio was lossy-coded before it was saved in this lossless format.',
            evidence,
          }),
        );
      }
    }

    // A stretch whose bandwidth falls well below the rest: foreign material (a call, a different device).
    const segments = profile.segments;
    if (segments.length >= 3) {
      const sorted = segments.map((s) => s.bandwidth).sort((a, b) => a - b);
      const reference = sorted[sorted.length >> 1]!;
      const limit = CHANGE_RATIO * reference;
      let i = 0;
      while (i < segments.length) {
        if (segments[i]!.bandwidth >= limit) {
          i++;
          continue;
        }
        let j = i;
        while (j + 1 < segments.length && segments[j + 1]!.bandwidth < limit) j++;
        const count = j - i + 1;
        if (count >= MIN_CHANGE_SEGMENTS && count < segments.length / 2 + 1) {
          const run = segments.slice(i, j + 1);
          const low = Math.max(...run.map((s) => s.bandwidth));
          const at = i > 0 ? refineCrossing(summary, run[0]!.at, limit, true) : run[0]!.at;
          const end =
            j + 1 < segments.length
              ? refineCrossing(summary, run[count - 1]!.end, limit, false)
              : summary.duration;
          // Encoders start up band-limited while their rate control settles (Windows Media Foundation's AAC
          // encoder for about 2 s): a narrow stretch from the very start is context. Foreign material inserted
          // later, or joined at the end, starts inside the recording.
          const startUp = i === 0;
          const strong = low <= CHANGE_WARNING_RATIO * reference && !startUp;
          findings.push(
            finding(meta, {
              id: 'bandwidth-change',
              severity: strong ? 'warning' : 'info',
              title: `The bandwidth drops to ${kHz(low)} from ${round3(at)} s to ${round3(end)} s`,
              detail:
                `Elsewhere the content reaches ${kHz(reference)}; from ${round3(at)} s to ${round3(end)} s it stops at ${kHz(low)}. ` +
                (startUp
                  ? 'It starts with the recording, as when an encoder starts up band-limited while its rate control settles; context only. Listen here.'
                  : 'One recording keeps one bandwidth: audio that passed through a different channel (a phone call, another device or codec) was joined here.'),
              at,
              end,
              evidence: {
                family: 'bandwidth',
                referenceHz: Math.round(reference),
                lowHz: Math.round(low),
                seconds: round3(end - at),
              },
            }),
          );
        }
        i = j + 1;
      }
    }
    return fromFindings(
      findings,
      `content reaches ${kHz(top)} of ${kHz(nyquist)} (${codec || 'unknown codec'})`,
    );
  },
};
