// Ogg structure parser: page walk with CRC and sequence checks, per-stream codec headers, chained links.
import { BlockReader } from '../block-reader.js';
import { crc32Ogg } from '../crc.js';
import {
  type ByteSource,
  emptyReport,
  type PlacedSign,
  type StructureParser,
  type StructureReport,
} from '../types.js';
import { type CodecInfo, identifyCodec, opusPacketSamples, readCommentPacket } from './codecs.js';
import { commentCreated, commentWriters, type VorbisComment } from './vorbis-comment.js';

/** Largest possible page: 27-byte header, 255 lacing values, 255 × 255 bytes of body. */
const MAX_PAGE = 27 + 255 + 255 * 255;
/** Header packets are assembled up to this size; comment packets with cover art are cut here. */
const MAX_HEADER_PACKET = 1 << 20;
const MAX_LISTED = 100;
/** Logical streams followed; pages of further serials are counted only (fuzzed files invent serials). */
const MAX_STREAMS = 256;
const MAX_WARNINGS = 20;
const ZERO4 = new Uint8Array(4);

interface Stream {
  serial: number;
  link: number;
  codec: CodecInfo;
  pages: number;
  firstSequence: number;
  lastSequence: number;
  bos: boolean;
  eos: boolean;
  firstGranule?: number;
  lastGranule?: number;
  /** Header packets assembled so far, and the one being assembled. */
  packetIndex: number;
  parts: Buffer[];
  partBytes: number;
  /** The previous page ended inside a packet. */
  inPacket: boolean;
  comment?: VorbisComment;
  /** Opus: samples of audio packets (48 kHz), completed since the last page that carried a granule. */
  packetSamples: number;
  sinceGranule: number;
  currentSamples: number;
  audioPackets: number;
  undurablePackets: number;
  /** Granule of the previous page that carried one. */
  granuleBase?: number;
  /** Opus: the first audio page's granule minus its packets' samples (ffmpeg's stream copy leaves pre-skip). */
  startExcess?: number;
  /** Writer layout, for writer profiles: pages holding only header packets, audio packets per page, packet durations. */
  headerPages: number;
  pagePackets: Map<number, number>;
  packetDurations: Map<number, number>;
  commentBytes?: number;
}

interface Link {
  index: number;
  offset: number;
  /** Seconds at which this link starts in the whole file's timeline. */
  start: number;
  streams: Stream[];
  dataSeen: boolean;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Seconds of granule `g` in its stream (Opus counts pre-skip samples in the granule). */
function granuleSeconds(s: Stream, g: number): number | undefined {
  const rate = s.codec.granuleRate;
  if (!rate) return undefined;
  return Math.max(0, (g - (s.codec.preSkip ?? 0)) / rate);
}

class OggWalk {
  readonly report: StructureReport = emptyReport('ogg');
  /** The stream each serial currently belongs to; a chained link may reuse a serial. */
  private readonly streams = new Map<number, Stream>();
  private readonly all: Stream[] = [];
  private readonly links: Link[] = [];
  private pages = 0;
  private crcFailures = 0;
  private lastTime = 0;
  private lastPage: { offset: number; serial: number; eos: boolean } | undefined;
  private junkBytes = 0;
  private ignoredPages = 0;
  private warningsDropped = 0;

  constructor(private readonly reader: BlockReader) {}

  private push(list: PlacedSign[], sign: PlacedSign): void {
    if (list.length < MAX_LISTED) list.push(sign);
  }

  private warn(message: string): void {
    if (this.report.warnings.length < MAX_WARNINGS) this.report.warnings.push(message);
    else this.warningsDropped++;
  }

  private link(): Link | undefined {
    return this.links[this.links.length - 1];
  }

  private linkDuration(link: Link): number {
    let d = 0;
    for (const s of link.streams) {
      if (s.lastGranule !== undefined) d = Math.max(d, granuleSeconds(s, s.lastGranule) ?? 0);
    }
    return d;
  }

  /**
   * A page flagged beginning-of-stream that carries audio of the stream already running (same serial,
   * next page number, no codec header): the stream goes on. WhatsApp writes such a page, with granule 0,
   * where a paused voice note is resumed.
   */
  private resumes(s: Stream | undefined, serial: number, sequence: number, body: Buffer): boolean {
    if (!s || s.serial !== serial || s.link !== this.links.length - 1) return false;
    if (s.codec.codec === 'unknown' || s.packetIndex < s.codec.headerPackets) return false;
    if (sequence !== s.lastSequence + 1 || s.eos) return false;
    return identifyCodec(body).codec === 'unknown';
  }

  private time(s: Stream | undefined, granule: number | undefined): number {
    if (!s || granule === undefined) return this.lastTime;
    const sec = granuleSeconds(s, granule);
    if (sec === undefined) return this.lastTime;
    return round((this.links[s.link]?.start ?? 0) + sec);
  }

  async run(): Promise<StructureReport> {
    const size = this.reader.size;
    let pos = 0;
    while (pos < size) {
      const i = await this.reader.at(pos, MAX_PAGE);
      const buf = this.reader.buffer;
      const avail = buf.length - i;
      if (avail < 4 || buf.toString('latin1', i, i + 4) !== 'OggS' || (avail >= 5 && buf[i + 4] !== 0)) {
        if (
          avail < 27 &&
          buf.toString('latin1', i, i + Math.min(4, avail)) === 'OggS'.slice(0, Math.min(4, avail))
        ) {
          this.cutPage(pos, avail);
          break;
        }
        const next = await this.resync(pos + 1);
        this.junk(pos, next);
        pos = next;
        continue;
      }
      if (avail < 27) {
        this.cutPage(pos, avail);
        break;
      }
      const segments = buf[i + 26]!;
      const headerLength = 27 + segments;
      if (avail < headerLength) {
        this.cutPage(pos, avail, buf[i + 5]!);
        break;
      }
      let bodyLength = 0;
      for (let k = 0; k < segments; k++) bodyLength += buf[i + 27 + k]!;
      if (avail < headerLength + bodyLength) {
        this.cutPage(pos, avail, buf[i + 5]!, headerLength + bodyLength);
        break;
      }
      this.page(buf, i, pos, headerLength, bodyLength);
      pos += headerLength + bodyLength;
    }
    return this.finish();
  }

  /** Next offset of a plausible page ("OggS", version 0), or the end of the file. */
  private async resync(from: number): Promise<number> {
    let pos = from;
    const size = this.reader.size;
    while (pos < size) {
      const i = await this.reader.at(pos, 4096);
      const buf = this.reader.buffer;
      let k = buf.indexOf('OggS', i, 'latin1');
      while (k >= 0 && k + 5 <= buf.length && buf[k + 4] !== 0) k = buf.indexOf('OggS', k + 1, 'latin1');
      if (k >= 0) return this.reader.start + k;
      const windowEnd = this.reader.start + buf.length;
      if (windowEnd >= size) break;
      // Step back three bytes so a capture pattern split across windows is still seen.
      pos = Math.max(pos + 1, windowEnd - 3);
    }
    return size;
  }

  private junk(from: number, to: number): void {
    const bytes = to - from;
    this.junkBytes += bytes;
    if (to >= this.reader.size && this.pages > 0) {
      this.push(this.report.appended, {
        kind: 'trailing-data',
        offset: from,
        at: this.lastTime,
        detail: `${bytes} bytes after the last Ogg page that are not an Ogg page`,
        data: { bytes },
      });
      return;
    }
    this.push(this.report.frameIssues, {
      kind: 'junk',
      offset: from,
      at: this.lastTime,
      detail: `${bytes} bytes ${this.pages > 0 ? 'between Ogg pages' : 'before the first Ogg page'} that are not an Ogg page`,
      data: { bytes },
    });
  }

  private cutPage(pos: number, have: number, headerType?: number, length?: number): void {
    const eos = headerType !== undefined && (headerType & 4) !== 0;
    this.push(this.report.truncation, {
      kind: eos ? 'partial-last-page' : 'missing-eos',
      offset: pos,
      at: this.lastTime,
      strong: true,
      detail: `the file ends inside an Ogg page: ${have}${length ? ` of its ${length}` : ''} bytes are present${eos ? '' : ', and no end-of-stream page follows'}`,
      data: { bytes: have, ...(length ? { pageLength: length } : {}), lastPageCut: true },
    });
    this.cutAtEnd = true;
  }

  private cutAtEnd = false;

  private page(buf: Buffer, i: number, pos: number, headerLength: number, bodyLength: number): void {
    this.pages++;
    const headerType = buf[i + 5]!;
    const continued = (headerType & 1) !== 0;
    const bos = (headerType & 2) !== 0;
    const eos = (headerType & 4) !== 0;
    const lo = buf.readUInt32LE(i + 6);
    const hi = buf.readInt32LE(i + 10);
    // -1 means "no packet ends on this page"; real granules stay far below 2^53.
    const granule = lo === 0xffffffff && hi === -1 ? undefined : hi * 0x100000000 + lo;
    const serial = buf.readUInt32LE(i + 14);
    const sequence = buf.readUInt32LE(i + 18);
    const storedCrc = buf.readUInt32LE(i + 22);
    let crc = crc32Ogg(buf, i, i + 22);
    crc = crc32Ogg(ZERO4, 0, 4, crc);
    crc = crc32Ogg(buf, i + 26, i + headerLength + bodyLength, crc);
    this.lastPage = { offset: pos, serial, eos };

    let s = this.streams.get(serial);
    const body = buf.subarray(i + headerLength, i + headerLength + bodyLength);
    const resumed = bos && this.resumes(s, serial, sequence, body);
    if (resumed)
      this.push(this.report.frameIssues, {
        kind: 'bos-mid-stream',
        offset: pos,
        at: this.time(s, s?.lastGranule),
        detail: `audio page ${sequence} of stream ${serial} is flagged as the beginning of a stream${granule === 0 ? ' and has granule position 0' : ''}; the stream continues without a gap`,
        data: { serial, sequence, granule: granule ?? -1, headers: false, sequenceContinues: true },
      });
    if (!resumed && (bos || !s) && this.all.length >= MAX_STREAMS) {
      this.ignoredPages++;
      return;
    }
    if (!s || (bos && !resumed)) {
      let link = this.link();
      if (!link || link.dataSeen) {
        const start = link ? link.start + this.linkDuration(link) : 0;
        link = { index: this.links.length, offset: pos, start: round(start), streams: [], dataSeen: false };
        this.links.push(link);
        if (link.index > 0) {
          this.push(this.report.appended, {
            kind: 'new-stream',
            offset: pos,
            at: link.start,
            detail: `a new logical stream (serial ${serial}) begins after the audio of the previous one: a chained Ogg file, as joining two files end to end makes`,
            data: { serial, link: link.index, beginOfStream: bos },
          });
        }
      }
      if (!bos) this.warn(`page of stream ${serial} at ${pos} without a beginning-of-stream page`);
      if (s && s.link === link.index) this.warn(`stream serial ${serial} begins twice`);
      s = {
        serial,
        link: link.index,
        codec: { codec: 'unknown', headerPackets: 1 },
        pages: 0,
        firstSequence: sequence,
        lastSequence: sequence - 1,
        bos,
        eos: false,
        packetIndex: 0,
        parts: [],
        partBytes: 0,
        inPacket: false,
        packetSamples: 0,
        sinceGranule: 0,
        currentSamples: 0,
        audioPackets: 0,
        undurablePackets: 0,
        headerPages: 0,
        pagePackets: new Map(),
        packetDurations: new Map(),
      };
      this.streams.set(serial, s);
      this.all.push(s);
      link.streams.push(s);
    } else {
      const link = this.links[s.link];
      if (link) link.dataSeen = true;
    }
    s.pages++;
    const before = this.time(s, s.lastGranule);

    if (crc !== storedCrc) {
      this.crcFailures++;
      this.push(this.report.frameIssues, {
        kind: 'page-crc',
        offset: pos,
        at: before,
        ...(granule !== undefined ? { end: this.time(s, granule) } : {}),
        strong: true,
        detail: `the CRC-32 of Ogg page ${sequence} (stream ${serial}) does not match its bytes`,
        data: { serial, sequence, stored: storedCrc, computed: crc },
      });
    }
    if (s.pages > 1 && sequence !== s.lastSequence + 1) {
      this.push(this.report.frameIssues, {
        kind: 'page-sequence-gap',
        offset: pos,
        at: before,
        strong: true,
        detail: `Ogg page sequence jumps from ${s.lastSequence} to ${sequence} in stream ${serial}: ${sequence > s.lastSequence ? `${sequence - s.lastSequence - 1} page(s) missing` : 'pages out of order'}`,
        data: { serial, expected: s.lastSequence + 1, found: sequence },
      });
    }
    s.lastSequence = sequence;
    if (s.eos) this.warn(`stream ${serial} continues after its end-of-stream page`);
    if (eos) s.eos = true;

    const headerOnly = s.packetIndex < s.codec.headerPackets;
    const packetsBefore = s.audioPackets;
    this.packets(buf, i + 27, headerLength - 27, i + headerLength, s, continued);
    if (headerOnly && s.audioPackets === packetsBefore) s.headerPages++;
    else if (!eos) tally(s.pagePackets, s.audioPackets - packetsBefore);

    // The granule 0 of a resumed page is a marker, not a position; the next page's granule goes on.
    if (granule !== undefined && !(resumed && granule === 0)) {
      if (s.lastGranule !== undefined && granule < s.lastGranule) {
        this.push(this.report.frameIssues, {
          kind: 'granule-backwards',
          offset: pos,
          at: before,
          detail: `the granule position goes back from ${s.lastGranule} to ${granule} in stream ${serial}`,
          data: { serial, from: s.lastGranule, to: granule },
        });
      }
      if (s.codec.codec === 'opus' && s.packetIndex > s.codec.headerPackets)
        this.opusGranule(s, granule, pos, eos);
      if (s.firstGranule === undefined && s.packetIndex > s.codec.headerPackets) s.firstGranule = granule;
      s.lastGranule = granule;
      this.lastTime = this.time(s, granule);
    }
  }

  /** Compares an Opus page's granule with the durations of the packets completed since the last one. */
  private opusGranule(s: Stream, granule: number, pos: number, eos: boolean): void {
    const expected = (s.granuleBase ?? 0) + s.sinceGranule;
    const first = s.granuleBase === undefined;
    const missing = granule - expected;
    if (first) s.startExcess = missing;
    // Undurable packets (empty, malformed) make the count unreliable; judge only clean spans.
    // Some writers (WhatsApp) start the granule a few samples past the first packets; a cut start
    // leaves at least a whole packet (up to 120 ms) unaccounted for.
    const tolerance = first ? 5760 : 0;
    if (missing > tolerance && s.undurablePackets === 0) {
      if (first) {
        this.push(this.report.truncation, {
          kind: 'starts-mid-stream',
          offset: pos,
          at: 0,
          detail: `the first audio page's granule (${granule}) is ${missing} samples beyond its packets: the stream begins later than its own start`,
          data: { serial: s.serial, granule, packetSamples: s.sinceGranule, missingSamples: missing },
        });
      } else {
        this.push(this.report.frameIssues, {
          kind: 'granule-gap',
          offset: pos,
          at: this.time(s, s.granuleBase),
          end: this.time(s, (s.granuleBase ?? 0) + missing),
          detail: `the granule position advances ${missing} samples (${round(missing / 48000)} s) more than the Opus packets on the page last`,
          data: { serial: s.serial, expected, granule, missingSamples: missing },
        });
      }
    } else if (missing < 0 && !eos && s.undurablePackets === 0) {
      this.warn(`Opus granule at ${pos} is ${-missing} samples short of its packets`);
    }
    s.granuleBase = granule;
    s.sinceGranule = 0;
  }

  /** Walks the lacing values: assembles header packets and adds up Opus packet durations. */
  private packets(
    buf: Buffer,
    lacing: number,
    count: number,
    body: number,
    s: Stream,
    continued: boolean,
  ): void {
    let off = body;
    let starts = !continued;
    if (continued && !s.inPacket) s.parts = [];
    if (!continued && s.inPacket) {
      // The previous packet never finished: what it held is lost with the page that should have ended it.
      s.parts = [];
      s.partBytes = 0;
    }
    for (let k = 0; k < count; k++) {
      const v = buf[lacing + k]!;
      const isHeader = s.packetIndex < s.codec.headerPackets;
      if (starts && !isHeader && s.codec.codec === 'opus') {
        const samples = v > 0 ? opusPacketSamples(buf[off]!, v > 1 ? buf[off + 1] : undefined) : undefined;
        if (samples === undefined) s.undurablePackets++;
        s.currentSamples = samples ?? 0;
        if (samples !== undefined && s.packetDurations.size < 64) tally(s.packetDurations, samples);
      }
      if (isHeader && s.partBytes < MAX_HEADER_PACKET) {
        const take = Math.min(v, MAX_HEADER_PACKET - s.partBytes);
        s.parts.push(buf.subarray(off, off + take));
        s.partBytes += take;
      }
      off += v;
      starts = v < 255;
      if (starts) {
        if (isHeader) this.headerPacket(s, Buffer.concat(s.parts));
        else {
          s.audioPackets++;
          s.packetSamples += s.currentSamples;
          s.sinceGranule += s.currentSamples;
          s.currentSamples = 0;
        }
        s.parts = [];
        s.partBytes = 0;
        s.packetIndex++;
      }
    }
    s.inPacket = !starts;
    // Header parts point into the reader's window, which moves: keep a copy of an unfinished packet.
    if (s.inPacket && s.parts.length > 0) s.parts = [Buffer.from(Buffer.concat(s.parts))];
  }

  private headerPacket(s: Stream, packet: Buffer): void {
    if (s.packetIndex === 1) s.commentBytes = packet.length;
    if (s.packetIndex === 0) {
      s.codec = identifyCodec(packet);
      return;
    }
    const comment = readCommentPacket(s.codec.codec, packet);
    if (comment && !s.comment) s.comment = comment;
  }

  private finish(): StructureReport {
    const report = this.report;
    report.complete = !this.cutAtEnd && this.pages > 0;
    if (this.pages === 0) report.warnings.push('no Ogg pages found');
    const lastLink = this.link();
    // Missing EOS in the last link's streams (a whole last page, so only a look is called for).
    if (!this.cutAtEnd && lastLink) {
      for (const s of lastLink.streams) {
        const serial = s.serial;
        if (!s.eos) {
          this.push(report.truncation, {
            kind: 'missing-eos',
            offset: this.lastPage?.offset,
            at: this.time(s, s.lastGranule),
            strong: false,
            detail: `stream ${serial} has no end-of-stream page: the writer did not finish it, or its end was removed`,
            data: { serial, lastPageCut: false },
          });
          report.complete = false;
        }
      }
    }
    // Streams of earlier links that never ended: a chained file whose first part was cut.
    for (const link of this.links.slice(0, -1)) {
      for (const s of link.streams) {
        if (!s.eos) this.warn(`stream ${s.serial} ends without an end-of-stream page before the next link`);
      }
    }

    let declared = 0;
    let declaredSamples = 0;
    let counted = 0;
    let haveCounted = false;
    let primary: Stream | undefined;
    const software = new Set<string>();
    const markers = new Set<string>();
    for (const link of this.links) {
      let linkDeclared = 0;
      let linkCounted = 0;
      for (const s of link.streams) {
        const audio = ['opus', 'vorbis', 'speex', 'flac'].includes(s.codec.codec);
        if (!audio) continue;
        primary ??= s;
        if (s.lastGranule !== undefined) {
          linkDeclared = Math.max(linkDeclared, granuleSeconds(s, s.lastGranule) ?? 0);
          if (s === primary) declaredSamples = s.lastGranule - (s.codec.preSkip ?? 0);
        }
        if (s.codec.codec === 'opus' && s.undurablePackets === 0) {
          linkCounted = Math.max(linkCounted, Math.max(0, s.packetSamples - (s.codec.preSkip ?? 0)) / 48000);
          haveCounted = true;
        }
        if (s.comment) {
          markers.add(s.codec.codec === 'opus' ? 'opus-tags' : 'vorbis-comment');
          if (s.comment.vendor) software.add(s.comment.vendor);
          for (const w of commentWriters(s.comment)) software.add(w);
        }
      }
      declared += linkDeclared;
      counted += linkCounted;
    }
    if (primary?.lastGranule !== undefined && primary.codec.granuleRate) {
      report.declared.push({
        source: 'ogg-granule',
        seconds: declared,
        ...(this.links.length === 1
          ? { samples: declaredSamples, sampleRate: primary.codec.granuleRate }
          : {}),
      });
    }
    if (haveCounted) report.counted.push({ source: 'ogg-opus-packets', seconds: counted });
    if (primary?.codec.codec === 'opus') {
      const preSkip = primary.codec.preSkip ?? 0;
      const padding =
        primary.lastGranule !== undefined ? Math.max(0, primary.packetSamples - primary.lastGranule) : 0;
      report.priming = { delay: preSkip, padding, sampleRate: 48000 };
    }
    if (primary?.comment?.vendor) report.writer.vendor = primary.comment.vendor;
    if (this.links.length > 1) markers.add('chained');
    report.writer.software = [...software];
    report.writer.markers = [...markers];
    const created = primary?.comment ? commentCreated(primary.comment) : undefined;
    if (created) report.times.created = created;

    report.details = {
      pages: this.pages,
      crcFailures: this.crcFailures,
      junkBytes: this.junkBytes,
      ...(this.ignoredPages ? { ignoredPages: this.ignoredPages } : {}),
      ...(this.warningsDropped ? { warningsDropped: this.warningsDropped } : {}),
      links: this.links.map((l) => ({
        offset: l.offset,
        start: l.start,
        serials: l.streams.map((s) => s.serial),
      })),
      streams: this.all.map((s) => ({
        serial: s.serial,
        link: s.link,
        ...s.codec,
        pages: s.pages,
        firstSequence: s.firstSequence,
        lastSequence: s.lastSequence,
        bos: s.bos,
        eos: s.eos,
        firstGranule: s.firstGranule,
        lastGranule: s.lastGranule,
        seconds: s.lastGranule !== undefined ? granuleSeconds(s, s.lastGranule) : undefined,
        audioPackets: s.audioPackets,
        ...(s.codec.codec === 'opus'
          ? {
              packetSamples: s.packetSamples,
              undurablePackets: s.undurablePackets,
              startExcess: s.startExcess,
            }
          : {}),
        vendor: s.comment?.vendor,
        comments: s.comment?.comments,
        layout: {
          headerPages: s.headerPages,
          packetsPerPage: modal(s.pagePackets),
          ...(s.packetDurations.size ? { packetSamples: modal(s.packetDurations) } : {}),
          ...(s.commentBytes !== undefined ? { commentBytes: s.commentBytes } : {}),
        },
      })),
    };
    return report;
  }
}

function tally(histogram: Map<number, number>, value: number): void {
  histogram.set(value, (histogram.get(value) ?? 0) + 1);
}

/** The most frequent value of a histogram (the smallest on a tie), undefined when empty. */
function modal(histogram: Map<number, number>): number | undefined {
  let best: number | undefined;
  for (const [value, n] of histogram) {
    const bestN = best === undefined ? -1 : (histogram.get(best) ?? 0);
    if (n > bestN || (n === bestN && best !== undefined && value < best)) best = value;
  }
  return best;
}

export const oggParser: StructureParser = {
  containers: ['ogg'],
  parse(source: ByteSource): Promise<StructureReport> {
    return new OggWalk(new BlockReader(source)).run();
  },
};
