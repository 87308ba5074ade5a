// Sample rate, channels, codec or bitrate mode changing inside one stream: pieces encoded apart and joined.
import type { ParameterChange } from '../formats/types.js';
import type { Finding, Severity } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'parameter-change',
  title: 'Parameter changes inside the stream',
  category: 'encoding',
  aspect: 'integrity',
  description:
    'Looks for the sample rate, channel count, codec or bitrate mode changing inside one audio stream.',
};

/** A recorder never changes these mid-stream; frame-type changes are normal (AMR DTX, VBR). */
const SEVERITY: Record<ParameterChange['parameter'], Severity> = {
  sampleRate: 'critical',
  channels: 'critical',
  layer: 'critical',
  version: 'critical',
  codec: 'critical',
  bitrateMode: 'warning',
  frameType: 'info',
  other: 'warning',
};

const NAMES: Record<ParameterChange['parameter'], string> = {
  sampleRate: 'sample rate',
  channels: 'channel count',
  layer: 'MPEG layer',
  version: 'MPEG version',
  codec: 'codec',
  bitrateMode: 'bitrate mode',
  frameType: 'frame type',
  other: 'parameter',
};

const MAX_FINDINGS = 20;

export const parameterChange: Detector = {
  meta,
  run(ctx) {
    const s = ctx.structure;
    if (!s) return notAssessable('no structure parser for this format');
    if (!s.complete && s.parameterChanges.length === 0)
      return notAssessable(
        `stream parameters not walked${s.warnings.length ? ` (${s.warnings.join('; ')})` : ''}`,
      );
    const findings: Finding[] = s.parameterChanges.slice(0, MAX_FINDINGS).map((c) => {
      const severity = SEVERITY[c.parameter];
      const where =
        c.at !== undefined ? ` at ${round3(c.at)} s` : c.offset !== undefined ? ` at byte ${c.offset}` : '';
      return finding(meta, {
        id: `${c.parameter === 'sampleRate' ? 'sample-rate' : c.parameter === 'bitrateMode' ? 'bitrate-mode' : c.parameter === 'frameType' ? 'frame-type' : c.parameter}-change`,
        severity,
        title: `The ${NAMES[c.parameter]} changes from ${c.from} to ${c.to}${where}`,
        detail:
          `Inside one stream the ${NAMES[c.parameter]} changes from ${c.from} to ${c.to}${where}. ` +
          (severity === 'critical'
            ? 'A recorder keeps these fixed for the whole recording: parts encoded separately were joined.'
            : severity === 'warning'
              ? 'A recorder normally keeps one mode; parts may have been encoded separately and joined.'
              : 'Encoders switch frame types as the signal changes; context only.'),
        ...(c.at !== undefined ? { at: c.at } : {}),
        evidence: {
          parameter: c.parameter,
          from: c.from,
          to: c.to,
          ...(c.offset !== undefined ? { offset: c.offset } : {}),
        },
      });
    });
    return fromFindings(
      findings,
      findings.length ? undefined : 'sample rate, channels and codec constant through the stream',
    );
  },
};
