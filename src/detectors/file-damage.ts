// Whether the file could be read and decoded at all: damage is reported, never a reason to refuse the file.

import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings } from './types.js';

const meta: DetectorMeta = {
  id: 'file-damage',
  title: 'Readable and decodable',
  category: 'structure',
  aspect: 'integrity',
  description: 'Checks that the file is non-empty, is audio, opens in ffprobe and decodes without errors.',
};

export const fileDamage: Detector = {
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    const { file, identified, probe, decode } = ctx;
    if (file.size === 0) {
      findings.push(
        finding(meta, {
          id: 'empty-file',
          severity: 'critical',
          title: 'The file is empty (0 bytes)',
          detail:
            'A recording app never leaves an empty file after a successful recording; the content is missing.',
        }),
      );
      return fromFindings(findings);
    }
    if (identified.container === 'not-audio') {
      findings.push(
        finding(meta, {
          id: 'not-audio',
          severity: 'warning',
          title: `The content is not audio: ${identified.description}`,
          detail:
            'The bytes identify a non-audio file. It was hashed and can be packaged, but holds no recording.',
        }),
      );
    }
    const decoded = decode?.ok === true;
    const noAudioStream = probe?.ok === true && !probe.audio;
    if (!decoded && noAudioStream) {
      findings.push(
        finding(meta, {
          id: 'no-audio-stream',
          severity: 'warning',
          title: 'The file holds no audio stream',
          detail: `ffprobe reads the file as ${probe?.format?.format_long_name ?? identified.description} but finds no audio in it. It was hashed and can be packaged.`,
          evidence: { streams: probe?.streams.map((s) => s.codec_type ?? 'unknown') },
        }),
      );
    } else if (!decoded && identified.container === 'unknown') {
      findings.push(
        finding(meta, {
          id: 'not-audio',
          severity: 'warning',
          title: 'The content is not a recognised audio format',
          detail: `Neither the bytes nor ffmpeg identify audio in this file (${decode?.error ?? probe?.error ?? 'no decoder could read it'}). It was hashed and can be packaged.`,
        }),
      );
    } else if (!decoded && identified.container !== 'not-audio') {
      const reason = decode?.error ?? probe?.error ?? 'no decoder could read it';
      findings.push(
        finding(meta, {
          id: 'undecodable',
          severity: 'critical',
          title: 'No audio could be decoded from the file',
          detail: `The file is damaged or not a recording: ${reason}. The bytes were still hashed.`,
          evidence: { container: identified.container, probeError: probe?.error, decodeError: decode?.error },
        }),
      );
    }
    if (decoded && decode) {
      const errors = decode.messages.filter((m) => !/^SILK frames/.test(m.text));
      if (errors.length > 0) {
        const first = errors[0]!;
        findings.push(
          finding(meta, {
            id: 'decoder-errors',
            severity: 'warning',
            title: `The decoder reported ${errors.length} error(s) while reading the audio`,
            detail: `First: "${first.text.slice(0, 200)}". Errors while decoding mean damaged or altered data at that point.`,
            at: first.at,
            evidence: { count: errors.length, messages: errors.slice(0, 10) },
          }),
        );
      }
    }
    return fromFindings(findings);
  },
};
