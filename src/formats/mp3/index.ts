// MP3 structure parser: tags, the frame walk, the Xing/Info/VBRI header and LAME tag, and their cross-checks.
import { BlockReader } from '../block-reader.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';
import { type Id3v2Tag, id3Times, id3Writers, readId3v2 } from './id3v2.js';
import { readTailTags } from './tail-tags.js';
import { DECODER_DELAY, type WalkResult, walkFrames } from './walk.js';
import type { VbrHeader } from './xing.js';

/** Leading ID3v2 tags followed one after another; more than this is not a tag run. */
const MAX_LEADING_TAGS = 4;

function id3Summary(tag: Id3v2Tag) {
  return {
    offset: tag.offset,
    size: tag.size,
    version: tag.version,
    flags: tag.flags,
    footer: tag.footer,
    padding: tag.padding,
    frames: tag.frames,
    ...(tag.framesOmitted > 0 ? { framesOmitted: tag.framesOmitted } : {}),
  };
}

function headerSummary(h: VbrHeader, offset: number, length: number) {
  return { offset, frameLength: length, ...h };
}

/** Cross-checks the header frame's counts and the LAME CRCs against what the walk found. */
function checkHeader(report: StructureReport, walk: WalkResult, fileSize: number): Record<string, unknown> {
  const first = walk.vbrFrames[0];
  const h = walk.firstHeader;
  if (!first || !h || first.offset !== walk.firstFrame) return {};
  const vbr = first.header;
  const lame = vbr.lame;
  const check: Record<string, unknown> = {};
  if (vbr.frames !== undefined && vbr.frames > 0) {
    const diff = walk.audioFrames - vbr.frames;
    // LAME and ffmpeg count audio frames only; the original Xing convention counts its own frame too.
    const ok = diff === 0 || (!lame && diff === -1);
    check['frames'] = { declared: vbr.frames, counted: walk.audioFrames, ok };
    if (!ok) {
      report.frameIssues.push({
        kind: 'xing-frame-count-mismatch',
        offset: first.offset,
        strong: true,
        detail: `the ${vbr.kind} header declares ${vbr.frames} audio frames; ${walk.audioFrames} are present`,
        data: { declared: vbr.frames, counted: walk.audioFrames, difference: diff },
      });
    }
  }
  if (vbr.bytes !== undefined && vbr.bytes > 0) {
    const span = walk.lastFrameEnd - first.offset;
    // Writers differ on whether leading tags count; any of these spans is an honest count.
    const ok = [span, walk.lastFrameEnd, fileSize].includes(vbr.bytes);
    check['bytes'] = { declared: vbr.bytes, measured: span, ok };
    if (!ok) {
      report.frameIssues.push({
        kind: 'xing-byte-count-mismatch',
        offset: first.offset,
        strong: true,
        detail: `the ${vbr.kind} header declares ${vbr.bytes} bytes of stream; ${span} are present`,
        data: { declared: vbr.bytes, measured: span, difference: span - vbr.bytes },
      });
    }
  }
  if (lame) {
    // A zero CRC with a zero music length is a tag whose writer did not fill the fields.
    const filled = lame.tagCrc !== 0 || lame.musicLength !== 0;
    check['tagCrc'] = { stored: lame.tagCrc, ok: lame.tagCrcOk, span: lame.tagCrcSpan, filled };
    if (filled && !lame.tagCrcOk) {
      report.frameIssues.push({
        kind: 'lame-tag-crc-mismatch',
        offset: first.offset,
        strong: true,
        detail:
          'the LAME tag CRC does not match the header frame: the frame was changed after the encoder wrote it',
        data: { stored: lame.tagCrc },
      });
    }
    const music = walk.musicCrc;
    if (music && lame.musicLength > 0) {
      const needed = music.end - music.start;
      const complete = music.covered === needed;
      const ok = complete && music.value === lame.musicCrc;
      check['musicCrc'] = {
        stored: lame.musicCrc,
        computed: complete ? music.value : undefined,
        declaredLength: lame.musicLength,
        measuredLength: walk.lastFrameEnd - first.offset,
        ok,
      };
      if (!ok) {
        report.frameIssues.push({
          kind: 'lame-music-crc-mismatch',
          offset: music.start,
          strong: true,
          detail: complete
            ? `the LAME music CRC ${hex(lame.musicCrc)} does not match the audio frames (${hex(music.value)})`
            : `the LAME tag declares ${lame.musicLength} bytes of music; the file ends ${needed - music.covered} bytes short of that`,
          data: {
            stored: lame.musicCrc,
            ...(complete ? { computed: music.value } : { missingBytes: needed - music.covered }),
            declaredLength: lame.musicLength,
          },
        });
      }
    }
  }
  return check;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

export const mp3Parser: StructureParser = {
  containers: ['mp3'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('mp3');
    const reader = new BlockReader(source);
    const leading: Id3v2Tag[] = [];
    let start = 0;
    for (let n = 0; n < MAX_LEADING_TAGS && start < source.size; n++) {
      const tag = await readId3v2(source, start);
      if (!tag) break;
      leading.push(tag);
      report.warnings.push(...tag.warnings);
      start = Math.min(source.size, start + tag.size);
    }
    if (leading.length > 1)
      report.warnings.push(`${leading.length} ID3v2 tags one after another at the start`);
    const tail = await readTailTags(source, start);
    report.warnings.push(...tail.warnings);
    const walk = await walkFrames(reader, start, tail.audioEnd);

    const h = walk.firstHeader;
    const first = walk.vbrFrames[0];
    const header = first && first.offset === walk.firstFrame ? first : undefined;
    report.frameIssues.push(...walk.frameIssues);
    report.truncation.push(...walk.truncation);
    report.appended.push(...walk.appended);
    report.parameterChanges.push(...walk.parameterChanges);

    if (h) {
      report.counted.push({ source: 'mp3-frames', seconds: walk.audioSeconds, frames: walk.audioFrames });
      if (header?.header.frames && header.header.frames > 0) {
        const samples = header.header.frames * h.samples;
        report.declared.push({
          source: header.header.kind === 'vbri' ? 'vbri' : 'xing',
          seconds: samples / h.sampleRate,
          samples,
          sampleRate: h.sampleRate,
        });
      }
      const lame = header?.header.lame;
      if (lame) {
        report.priming = { delay: lame.encoderDelay, padding: lame.encoderPadding, sampleRate: h.sampleRate };
      }
    } else {
      report.warnings.push('no MPEG audio frames found');
    }
    const headerCheck = checkHeader(report, walk, source.size);

    // Writer hints and times.
    const software = new Set<string>();
    const markers = new Set<string>();
    for (const tag of leading) {
      markers.add('id3v2');
      for (const s of id3Writers(tag)) software.add(s);
    }
    const times = leading[0] ? id3Times(leading[0]) : {};
    if (times.created) report.times.created = times.created;
    if (times.modified) report.times.modified = times.modified;
    for (const t of tail.tags) {
      markers.add(t.kind === 'id3v1-enhanced' ? 'id3v1' : t.kind === 'id3v2-appended' ? 'id3v2' : t.kind);
      if (t.kind === 'ape') {
        for (const [k, v] of Object.entries(t.fields ?? {}))
          if (/^(encoder|encoded.?by|tool|software)$/iu.test(k) && v) software.add(v);
      }
    }
    if (header) {
      markers.add(header.header.kind);
      if (header.header.lame) {
        markers.add('lame-tag');
        software.add(header.header.lame.encoder);
      }
    }
    for (const trailer of report.appended) {
      if (trailer.kind !== 'trailing-data' || trailer.offset === undefined) continue;
      const content = trailerContent(await source.read(trailer.offset, TRAILER_SNIFF));
      trailer.data = { ...(trailer.data ?? {}), content };
      if (content !== 'data') markers.add(`trailer:${content}`);
    }
    report.writer.software = [...software];
    report.writer.markers = [...markers];

    report.complete = h !== undefined && walk.truncation.length === 0;
    const timelineOffset = header?.header.lame ? walk.timelineOffset : 0;
    report.details = {
      audioStart: start,
      audioEnd: tail.audioEnd,
      firstFrameOffset: walk.firstFrame,
      lastFrameEnd: walk.lastFrameEnd,
      id3v2: leading.map(id3Summary),
      tailTags: tail.tags,
      midTags: walk.midTags.map((t) => ({
        kind: t.kind,
        offset: t.offset,
        size: t.size,
        at: t.at,
        ...(t.tag ? { id3v2: id3Summary(t.tag) } : {}),
      })),
      stream: h
        ? {
            version: h.version,
            layer: h.layer,
            sampleRate: h.sampleRate,
            channelMode: h.channelMode,
            channels: h.channels,
            samplesPerFrame: h.samples,
            crcProtected: h.crc,
          }
        : undefined,
      frames: {
        audio: walk.audioFrames,
        samples: walk.audioSamples,
        seconds: walk.audioSeconds,
        bitrates: walk.bitrates,
        vbr: Object.keys(walk.bitrates).length > 1,
        versions: walk.versions,
        layers: walk.layers,
        sampleRates: walk.sampleRates,
        channelModes: walk.channelModes,
        ...walk.counts,
      },
      header: header ? headerSummary(header.header, header.offset, header.length) : undefined,
      headerFrames: walk.vbrFrames.map((v) => ({ offset: v.offset, kind: v.header.kind, at: v.at })),
      headerCheck,
      // Seconds the decoder drops at the start (LAME delay + 529), which places `at` on the decoded timeline.
      timelineOffset,
      decoderDelay: header?.header.lame ? DECODER_DELAY : undefined,
    };
    return report;
  },
};

const TRAILER_SNIFF = 256;
/** Comma-separated decimal levels in ASCII (a recorder app's saved waveform), at least eight of them. */
const ASCII_LEVELS = /^\d{1,6}(,\d{1,6}){7,}/;

/** What the bytes after the last frame look like, for matching a writer's known habits. */
function trailerContent(head: Buffer): string {
  if (head.length > 0 && head.every((b) => b === 0)) return 'zeros';
  if (ASCII_LEVELS.test(head.toString('latin1'))) return 'ascii-levels';
  return 'data';
}
