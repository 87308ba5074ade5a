// The MD5 a FLAC encoder stores of the audio it encoded, against the audio the file decodes to now.
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'audio-checksum',
  title: 'Audio against its stored checksum',
  category: 'structure',
  aspect: 'integrity',
  description:
    'Compares the MD5 of the audio that a FLAC encoder stored in STREAMINFO with the decoded audio.',
};

interface StreamInfo {
  sampleRate?: number;
  channels?: number;
  bitsPerSample?: number;
}

export const audioChecksum: Detector = {
  meta,
  run(ctx) {
    if (ctx.identified.container !== 'flac') return notAssessable('only FLAC stores a checksum of its audio');
    const details = ctx.structure?.details as
      | { md5?: string; md5Set?: boolean; streamInfo?: StreamInfo }
      | undefined;
    const stored = details?.md5;
    if (!stored || !details?.md5Set)
      return notAssessable('the encoder stored no MD5 of the audio (all zeros)');
    const decode = ctx.decode;
    if (!decode?.ok || !decode.pcmMd5) return notAssessable('the audio could not be decoded to compare');
    const info = details.streamInfo ?? {};
    // The shared decode is mono 16-bit at the stream's rate (up to 48 kHz): only then is it the same data.
    if (info.channels !== 1 || info.bitsPerSample !== 16 || info.sampleRate !== decode.sampleRate)
      return notAssessable(
        `the stored MD5 covers ${info.channels ?? '?'} channel(s) of ${info.bitsPerSample ?? '?'}-bit audio at ${info.sampleRate ?? '?'} Hz; the shared decode is mono 16-bit`,
      );
    if (decode.pcmMd5 === stored)
      return fromFindings([], 'the decoded audio matches the MD5 its encoder stored');
    return fromFindings([
      finding(meta, {
        id: 'audio-md5-mismatch',
        severity: 'critical',
        title: 'The audio no longer matches the checksum its encoder stored',
        detail:
          `STREAMINFO holds MD5 ${stored} of the audio as encoded; the audio decodes to MD5 ${decode.pcmMd5}. ` +
          'The encoder computes this digest over every sample it wrote: audio changed, removed or joined after encoding (with the header kept) no longer matches it.',
        evidence: { stored, decoded: decode.pcmMd5 },
      }),
    ]);
  },
};
