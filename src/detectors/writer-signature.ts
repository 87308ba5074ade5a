// Which program wrote the file, from its writer strings, tags and layout, matched against the signature table.
import type { AnalysisContext } from '../analysis/context.js';
import { matchSignatures, type SignatureMatch, type WriterTraces } from '../analysis/signatures.js';
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'writer-signature',
  title: 'Writing software',
  category: 'encoding',
  aspect: 'originality',
  description:
    'Matches the encoder/software strings, tags, handler names and brands against a table of known recorder apps and editors.',
};

/** Tag keys whose values name the writing software. */
const SOFTWARE_KEY =
  /^(encoder|encoded_by|encoded-by|encodedby|software|tool|encoding_tool|©too|©enc|©swr|tsse|tenc|isft|vendor|comment|icmt|creator|creatortool|writing_application|writingapp|muxingapp)$/i;
/** ffprobe's placeholder for an empty vendor field. */
const EMPTY_VENDOR = /^(\[0\])+$/;
const MAX_VALUE = 200;

function pushText(list: string[], value: unknown): void {
  if (typeof value === 'string') {
    const text = value.replace(/\0+$/, '').trim();
    if (text && !EMPTY_VENDOR.test(text) && !list.includes(text)) list.push(text.slice(0, MAX_VALUE));
  } else if (Array.isArray(value)) for (const v of value) pushText(list, v);
}

function tagEntries(tags: Record<string, string> | undefined): [string, string][] {
  return Object.entries(tags ?? {});
}

/** Everything the file says about its writer, from the structure parser, ffprobe and music-metadata. */
export function writerTraces(ctx: AnalysisContext): WriterTraces {
  const { structure, probe, metadata, identified } = ctx;
  const software: string[] = [];
  const handlers: string[] = [];
  const tags: string[] = [];
  const markers: string[] = [];
  const writer = structure?.writer;
  pushText(software, writer?.software);
  pushText(software, writer?.vendor);
  pushText(handlers, writer?.handlers);
  pushText(markers, writer?.markers);

  const probeTags = [
    ...tagEntries(probe?.format?.tags),
    ...(probe?.streams ?? []).flatMap((s) => tagEntries(s.tags)),
  ];
  for (const [key, value] of probeTags) {
    pushText(tags, key);
    if (/^handler_name$/i.test(key)) pushText(handlers, value);
    else if (SOFTWARE_KEY.test(key)) pushText(software, value);
  }
  pushText(software, metadata?.format.tool);
  for (const list of Object.values(metadata?.native ?? {})) {
    for (const tag of list) {
      pushText(tags, tag.id);
      const key = tag.id.replace(/^----:com\.apple\.iTunes:/, '');
      if (SOFTWARE_KEY.test(key)) pushText(software, typeof tag.value === 'string' ? tag.value : undefined);
    }
  }
  if (!writer?.vendor && identified.container === 'ogg') pushText(software, oggVendor(ctx.head));
  // XMP packets sit near the start in WAV/MP3 and are cheap to spot there even without a parser.
  const head = ctx.head.toString('latin1');
  if (head.includes('<x:xmpmeta') || head.includes('adobe:ns:meta')) pushText(markers, 'xmp');

  const minorText = probe?.format?.tags?.['minor_version'];
  const minorVersion = writer?.minorVersion ?? (minorText !== undefined ? Number(minorText) : undefined);
  const brand = (writer?.brand ?? identified.brand)?.trim();
  const compatibleBrands = (writer?.compatibleBrands ?? identified.compatibleBrands ?? [])
    .map((b) => b.trim())
    .filter(Boolean);
  const traces: WriterTraces = {
    container: identified.container,
    software,
    handlers,
    compatibleBrands,
    tags,
    markers,
  };
  const codec = probe?.audio?.codec_name ?? ctx.media.codec;
  if (codec) traces.codec = codec;
  if (brand) traces.brand = brand;
  if (minorVersion !== undefined && Number.isFinite(minorVersion)) traces.minorVersion = minorVersion;
  return traces;
}

/** The vendor string of an Opus/Vorbis comment header in the first pages (fallback without the Ogg parser). */
function oggVendor(head: Buffer): string | undefined {
  for (const magic of ['OpusTags', '\x03vorbis']) {
    const at = head.indexOf(magic, 0, 'latin1');
    const start = at + magic.length + 4;
    if (at < 0 || start > head.length) continue;
    const length = head.readUInt32LE(start - 4);
    if (length > 0 && length <= MAX_VALUE && start + length <= head.length)
      return head.toString('utf8', start, start + length);
  }
  return undefined;
}

const describe = (m: SignatureMatch): string =>
  Object.entries(m.matched)
    .map(([field, value]) => `${field} '${value}'`)
    .join(', ');

/** A recorder claim that rests on more than the container type (raw AMR and SILK carry no writer data). */
const claimsRecorder = (m: SignatureMatch): boolean =>
  m.signature.kind === 'recorder' && Object.keys(m.matched).some((k) => k !== 'container');

/** A signature note as a sentence: capitalised, ending in a full stop, followed by a space. */
function sentence(note: string | undefined): string {
  const text = note?.trim();
  if (!text) return '';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? `${capital} ` : `${capital}. `;
}

/** FFmpeg's traces that carry no version: its bit-exact strings and its MP4 layout. */
const FFMPEG_BARE = new Set(['ffmpeg-bitexact', 'ffmpeg-mp4-layout']);

/**
 * FFmpeg (libavformat) writes a creation time only when it is handed one — copied from the file it read
 * (its default) or set by hand — and names its version unless told to be bit-exact. A file with FFmpeg's
 * bare traces and a creation time was therefore re-saved from another file whose time it kept, by someone
 * who also hid FFmpeg's version. No genuine recording in ../shared/samples shows both; FFmpeg-made test
 * files there carry no time.
 */
function resavedByFfmpeg(
  ctx: Parameters<Detector['run']>[0],
  matches: readonly SignatureMatch[],
  claimed: readonly SignatureMatch[],
): Finding | undefined {
  const bare = matches.find((m) => FFMPEG_BARE.has(m.signature.id));
  // The container's own time (MP4 mvhd) or, for the other formats, the tag FFmpeg writes it to (ID3 TDEN,
  // RIFF INFO, Vorbis comment), as ffprobe reads it.
  const created = ctx.structure?.times.created ?? ctx.probe?.format?.tags?.['creation_time'];
  if (!bare || !created || claimed.length > 0) return undefined;
  const year = Number(created.slice(0, 4));
  // 1904/1970 are "no time" in MP4 and Unix clocks.
  if (!Number.isFinite(year) || year <= 1970) return undefined;
  return finding(meta, {
    id: 'resaved-by-ffmpeg',
    severity: 'warning',
    title: `Re-saved by FFmpeg, keeping the creation time ${created} of the file it was made from`,
    detail:
      `Written by FFmpeg without its version string (matched ${describe(bare)}), yet it carries a creation time (${created}). ` +
      'FFmpeg writes a creation time only when it copies one from the file it reads or is given one, so this file was re-saved from another recording and kept its time. Inconsistent with an unedited recording from a phone app.',
    evidence: { signature: bare.signature.id, created },
  });
}

export const writerSignature: Detector = {
  meta,
  run(ctx) {
    const matches = ctx.writers ?? matchSignatures(ctx.signatures, writerTraces(ctx));
    const claimed = matches.filter(claimsRecorder);
    const findings: Finding[] = [];
    for (const m of matches) {
      const { signature: sig } = m;
      const evidence = {
        signature: sig.id,
        kind: sig.kind,
        matched: m.matched,
        ...(sig.creationTime ? { creationTime: sig.creationTime } : {}),
        ...(sig.note ? { note: sig.note } : {}),
      };
      if (sig.kind === 'recorder') {
        findings.push(
          finding(meta, {
            id: 'recorder-signature',
            severity: 'info',
            title: `Written by a recorder: ${sig.name}`,
            detail: `Matched ${describe(m)}. This is what the recorder writes; it does not by itself show the file is unedited.`,
            evidence,
          }),
        );
      } else if (sig.weak || sig.kind === 'library') {
        // A weak trace becomes a sign only when the file also claims a recorder that never writes it.
        const contradicted = sig.weak ? claimed.find((r) => r.signature.id !== sig.id) : undefined;
        findings.push(
          finding(meta, {
            id: contradicted ? 'writer-contradiction' : 'writer-library',
            severity: contradicted ? 'warning' : 'info',
            title: contradicted
              ? `${sig.name} in a file that claims ${contradicted.signature.name}`
              : `Written with ${sig.name}`,
            detail: contradicted
              ? `Inconsistent with an unedited recording from ${contradicted.signature.name}: matched ${describe(m)}, which that recorder does not write (it matched ${describe(contradicted)}).`
              : `Matched ${describe(m)}. ${sentence(sig.note)}Used by recorder apps and editors alike; context only.`,
            evidence: contradicted ? { ...evidence, claimed: contradicted.signature.id } : evidence,
          }),
        );
      } else {
        findings.push(
          finding(meta, {
            id: 'editor-signature',
            severity: 'warning',
            title: `Traces of ${sig.kind === 'editor' ? 'editing' : 'conversion'} software: ${sig.name}`,
            detail:
              `Inconsistent with an unedited recording from a phone app: written by ${sig.name} (matched ${describe(m)}). ` +
              sentence(sig.note).trim(),
            evidence,
          }),
        );
      }
    }
    const resave = resavedByFfmpeg(ctx, matches, claimed);
    if (resave) findings.push(resave);
    if (matches.length === 0)
      return notAssessable(
        'writer not identified (no known signature matched); an unknown writer is not a sign of editing',
      );
    const names = [...new Set(matches.map((m) => m.signature.name))].join('; ');
    return fromFindings(findings, `writers: ${names}`);
  },
};
