// Signs that the file ends early: an index or header pointing past the end, a partial last frame, a decoder that ran out of data.
import type { Finding } from '../types.js';
import { decodedSeconds } from './duration-mismatch.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'truncation',
  title: 'Truncation',
  category: 'structure',
  aspect: 'integrity',
  description:
    'Looks for an index pointing past the end of the file, a header size larger than the file, a partial last frame, and a decode that ran out of data.',
};

/** Decoder complaints that mean "the data stopped in the middle of something". */
const RAN_OUT =
  /partial file|Input buffer exhausted|Input\/output error|unexpected end|end of file|truncat|Packet corrupt|incomplete frame|invalid residual|decode_frame\(\) failed|Invalid data found when processing input/i;

/** Weak signs that recorder apps leave in untouched files: an Ogg stream without its end-of-stream flag. */
const WRITER_QUIRKS = new Set(['missing-eos']);
const TAIL_SECONDS = 3;
const TAIL_SHARE = 0.15;

export const truncation: Detector = {
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    const decoded = decodedSeconds(ctx);
    for (const sign of ctx.structure?.truncation ?? []) {
      const at = sign.at ?? decoded;
      const quirk = !sign.strong && WRITER_QUIRKS.has(sign.kind);
      findings.push(
        finding(meta, {
          id: sign.kind,
          severity: sign.strong ? 'critical' : quirk ? 'info' : 'warning',
          title: sign.strong
            ? `The file is cut short: ${sign.detail}`
            : `Possible truncation: ${sign.detail}`,
          detail:
            sign.detail +
            (sign.offset !== undefined ? ` (byte ${sign.offset} of ${ctx.file.size}).` : '.') +
            (sign.strong
              ? ' The file ends before what its own structure says it holds: it was cut after it was written, or the copy is incomplete.'
              : quirk
                ? ' Some recorder apps never mark the end (Telegram voice notes among them); on its own this is context only.'
                : ' A recorder stopped abruptly (battery, crash) leaves the same sign; compare with the device.'),
          ...(at !== undefined ? { at } : {}),
          ...(sign.end !== undefined ? { end: sign.end } : {}),
          evidence: {
            kind: sign.kind,
            ...(sign.offset !== undefined ? { offset: sign.offset } : {}),
            ...(sign.data ?? {}),
          },
        }),
      );
    }

    // The decoder's view: complaints that the data ran out, as the last thing it said.
    const messages = ctx.decode?.messages ?? [];
    const last = messages.at(-1);
    // Messages are stamped when read, before the audio still in the pipe arrives: they run early by up to
    // a few seconds, so "at the end" means within the last TAIL_SECONDS (or share) of the decode.
    const nearEnd = (at: number | undefined): boolean =>
      decoded !== undefined &&
      at !== undefined &&
      at >= decoded - Math.max(TAIL_SECONDS, TAIL_SHARE * decoded);
    if (
      decoded !== undefined &&
      last &&
      RAN_OUT.test(last.text) &&
      nearEnd(last.at) &&
      findings.length === 0
    ) {
      const tail = messages.filter((m) => RAN_OUT.test(m.text) && nearEnd(m.at)).slice(-3);
      findings.push(
        finding(meta, {
          id: 'decoder-ran-out',
          severity: 'warning',
          title: `The decoder ran out of data at the end (${round3(decoded)} s)`,
          detail:
            `The last decoder messages were: ${tail.map((m) => `"${m.text.replace(/^\[[^\]]*\]\s*/, '')}"`).join('; ')}. ` +
            'The last frame or packet is incomplete: the end of the file was cut, or the recorder stopped without finishing it.',
          at: decoded,
          evidence: { messages: tail.map((m) => m.text) },
        }),
      );
    }
    if (!ctx.structure && !ctx.decode)
      return notAssessable('neither a structure parse nor a decode is available');
    const note =
      findings.length > 0
        ? undefined
        : ctx.structure?.complete
          ? 'the structure is complete and the decode reached the end'
          : 'no sign of a cut end (structure not fully parsed; decode ended cleanly)';
    return fromFindings(findings, note);
  },
};
