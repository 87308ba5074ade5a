// WAVE/RF64 structure parser: RIFF size against the file, chunk walk, data bytes present, writer chunks (LIST/INFO, bext, XMP).
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';
import {
  type Bext,
  type Ds64,
  readBext,
  readDs64,
  readFmt,
  readList,
  text,
  type WavFormat,
  xmpSoftware,
} from './chunks.js';

/** Metadata chunks read whole up to this size; bigger ones are read in part. */
const MAX_META_CHUNK = 1024 * 1024;
const MAX_CHUNKS = 10_000;
/** Block size for the scan of the data chunk for an embedded second RIFF header. */
const SCAN_BLOCK = 1024 * 1024;
/** Streaming writers leave these in size fields they cannot seek back to. */
const PLACEHOLDERS = new Set([0xffffffff, 0]);

const plausibleId = (id: string): boolean => /^[\x20-\x7e]{4}$/.test(id);

interface ChunkFact {
  id: string;
  offset: number;
  size: number;
}

interface DataChunk {
  offset: number;
  start: number;
  /** Size the header declares (after ds64), undefined when it is a placeholder. */
  declared?: number;
  /** Bytes of data really in the file. */
  present: number;
}

const secs = (value: number): number => Math.round(value * 1e6) / 1e6;

export const wavParser: StructureParser = {
  containers: ['wav'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('wav');
    const size = source.size;
    const head = await source.read(0, 12);
    const form = head.toString('latin1', 0, 4);
    if (
      head.length < 12 ||
      !['RIFF', 'RF64', 'BW64'].includes(form) ||
      head.toString('latin1', 8, 12) !== 'WAVE'
    ) {
      report.warnings.push('no RIFF/RF64 WAVE header');
      if (head.length >= 4 && ['RIFF', 'RF64', 'BW64'].includes(form))
        report.truncation.push({
          kind: 'header-cut',
          offset: head.length,
          detail: `the file ends after ${size} bytes, inside the WAVE header`,
          strong: true,
        });
      return report;
    }
    const writer = report.writer;
    const marker = (name: string): void => {
      if (!writer.markers.includes(name) && writer.markers.length < 100) writer.markers.push(name);
    };
    const software = (name: string): void => {
      if (name && !writer.software.includes(name) && writer.software.length < 32) writer.software.push(name);
    };
    if (form !== 'RIFF') marker(form.toLowerCase());
    const riffSize32 = head.readUInt32LE(4);
    let riffSize: number | undefined =
      PLACEHOLDERS.has(riffSize32) && form === 'RIFF' ? undefined : riffSize32;
    if (form !== 'RIFF') riffSize = riffSize32 === 0xffffffff ? undefined : riffSize32;
    report.complete = true;

    const chunks: ChunkFact[] = [];
    let format: WavFormat | undefined;
    let ds64: Ds64 | undefined;
    let factSamples: number | undefined;
    let data: DataChunk | undefined;
    let bext: Bext | undefined;
    const info: Record<string, string> = {};
    const xmp: string[] = [];
    let riffEnd = riffSize !== undefined ? 8 + riffSize : undefined;
    let pos = 12;
    let secondRiff: number | undefined;
    let afterRiff: string[] = [];
    while (pos < size && chunks.length < MAX_CHUNKS) {
      if (size - pos < 8) break;
      const header = await source.read(pos, 8);
      const id = header.toString('latin1', 0, 4);
      if (!plausibleId(id)) break;
      if (id === 'RIFF' || id === 'RF64') {
        secondRiff = pos;
        break;
      }
      let chunkSize = header.readUInt32LE(4);
      const start = pos + 8;
      if (riffEnd !== undefined && pos >= riffEnd) afterRiff.push(id);
      chunks.push({ id, offset: pos, size: chunkSize });
      if (id === 'data') {
        const available = size - start;
        let declared: number | undefined = chunkSize;
        if (ds64 && chunkSize === 0xffffffff) declared = ds64.dataSize;
        else if (PLACEHOLDERS.has(chunkSize) && (chunkSize === 0xffffffff || available > 0)) {
          // ffmpeg and other streaming writers: the size was never filled in; the data runs to the end.
          declared = undefined;
          marker('size-placeholder');
          report.frameIssues.push({
            kind: 'size-placeholder',
            offset: pos + 4,
            detail: `the data chunk size is a placeholder (0x${chunkSize.toString(16)}): the writer streamed the file and never set it`,
            strong: false,
          });
        }
        const present = Math.min(declared ?? available, available);
        data = { offset: pos, start, present, ...(declared !== undefined ? { declared } : {}) };
        chunkSize = declared ?? available;
      } else {
        if (
          id === 'ds64' ||
          id === 'fmt ' ||
          id === 'fact' ||
          id === 'LIST' ||
          id === 'bext' ||
          id === '_PMX' ||
          id === 'iXML' ||
          id === 'axml'
        ) {
          const body = await source.read(start, Math.min(chunkSize, MAX_META_CHUNK, size - start));
          if (id === 'ds64') {
            ds64 = readDs64(body);
            if (ds64 && riffSize === undefined) riffSize = ds64.riffSize;
            if (ds64) riffEnd = 8 + ds64.riffSize;
          } else if (id === 'fmt ') format ??= readFmt(body, chunkSize);
          else if (id === 'fact' && body.length >= 4) factSamples = body.readUInt32LE(0);
          else if (id === 'LIST') {
            const list = readList(body);
            marker(`LIST:${list.listType}`);
            for (const sub of list.ids) marker(`${list.listType}:${sub}`);
            Object.assign(info, { ...list.items, ...info });
          } else if (id === 'bext') bext = readBext(body);
          else if (id === '_PMX') xmp.push(body.toString('utf8'));
        }
      }
      marker(id === '_PMX' ? 'xmp' : id.trim() || id);
      const end = start + chunkSize;
      if (end > size) {
        report.complete = false;
        if (data?.offset === pos && data.declared !== undefined) {
          report.truncation.push({
            kind: 'data-past-end',
            offset: size,
            ...(format && format.byteRate > 0 ? { at: secs(data.present / format.byteRate) } : {}),
            detail: `the data chunk declares ${data.declared} bytes but only ${data.present} are in the file`,
            strong: true,
            data: { declared: data.declared, present: data.present, missing: data.declared - data.present },
          });
        } else if (id !== 'data') {
          report.truncation.push({
            kind: 'chunk-past-end',
            offset: pos,
            detail: `chunk '${id}' declares ${chunkSize} bytes but the file ends after ${size - start}`,
            strong: true,
            data: { id, declared: chunkSize, present: size - start },
          });
        }
        pos = size;
        break;
      }
      if (riffEnd !== undefined && pos < riffEnd && end > riffEnd)
        report.frameIssues.push({
          kind: 'chunk-past-riff-end',
          offset: pos,
          detail: `chunk '${id}' ends ${end - riffEnd} bytes after the end the RIFF header declares`,
          strong: false,
        });
      // Chunks are word-aligned; a missing pad byte at the very end of the file is a common writer quirk.
      pos = Math.min(size, end + (chunkSize & 1));
    }
    if (chunks.length >= MAX_CHUNKS) report.warnings.push(`stopped after ${MAX_CHUNKS} chunks`);

    const byteRate = format?.byteRate ?? 0;
    const firstDuration = data && byteRate > 0 ? secs(data.present / byteRate) : undefined;

    // RIFF size against the file.
    if (riffEnd !== undefined && riffEnd > size) {
      // A chunk already reported as cut explains the short file; the RIFF size adds nothing.
      if (report.truncation.length === 0)
        report.truncation.push({
          kind: 'riff-past-end',
          offset: size,
          ...(firstDuration !== undefined ? { at: firstDuration } : {}),
          detail: `the RIFF header declares ${riffEnd} bytes but the file has ${size}`,
          // Writers that count the 8-byte RIFF header in its own size (or skip the pad byte) are off by
          // at most 8: not proof of a cut.
          strong: riffEnd - size > 8,
          data: { declared: riffEnd, size },
        });
    } else if (riffSize === undefined) {
      marker('riff-size-placeholder');
    }
    if (afterRiff.length > 0 && riffEnd !== undefined)
      report.appended.push({
        kind: 'chunks-after-riff-end',
        offset: riffEnd,
        ...(firstDuration !== undefined ? { at: firstDuration } : {}),
        detail: `chunk(s) ${afterRiff.join(', ')} follow the end the RIFF header declares`,
        strong: false,
        data: { chunks: afterRiff },
      });
    afterRiff = [];
    if (secondRiff !== undefined) {
      report.appended.push({
        kind: 'second-riff',
        offset: secondRiff,
        ...(firstDuration !== undefined ? { at: firstDuration } : {}),
        detail: `a second RIFF header starts at byte ${secondRiff}: another WAVE file follows the first`,
        strong: true,
        data: { bytes: size - secondRiff },
      });
    } else if (pos < size) {
      const tail = await source.read(pos, Math.min(size - pos, 4096));
      const zeros = tail.every((b) => b === 0);
      const insideRiff = riffEnd !== undefined && pos < riffEnd;
      if (insideRiff) {
        report.complete = false;
        report.frameIssues.push({
          kind: 'bad-chunk',
          offset: pos,
          detail: `${Math.min(size, riffEnd!) - pos} bytes inside the RIFF form are not a valid chunk`,
          strong: false,
        });
      }
      const trailingFrom = insideRiff ? Math.min(size, riffEnd!) : pos;
      if (trailingFrom < size)
        report.appended.push({
          kind: 'trailing-data',
          offset: trailingFrom,
          ...(firstDuration !== undefined ? { at: firstDuration } : {}),
          detail: `${size - trailingFrom} bytes after the last chunk are not part of the WAVE structure${zeros ? ' (zeros)' : ''}`,
          strong: false,
          data: { bytes: size - trailingFrom, zeros },
        });
    }

    if (!format) {
      report.complete = false;
      report.warnings.push('no fmt chunk');
    }
    if (!data) {
      report.complete = false;
      report.warnings.push('no data chunk');
    }
    if (data && format) await durations(report, data, format, factSamples, ds64);
    if (data && format && byteRate > 0) await embeddedRiff(source, report, data, byteRate);

    // Writer strings.
    if (info['ISFT']) software(info['ISFT']);
    if (bext) {
      marker('bext');
      if (bext.originator) software(bext.originator);
      for (const m of bext.codingHistory.matchAll(/T=([^,\r\n]{1,100})/g)) software(m[1]!.trim());
      if (/^\d{4}[-:/]\d{2}[-:/]\d{2}$/.test(bext.originationDate)) {
        const date = bext.originationDate.replace(/[:/]/g, '-');
        const time = /^\d{2}[-:.]\d{2}[-:.]\d{2}$/.test(bext.originationTime)
          ? bext.originationTime.replace(/[-.]/g, ':')
          : '00:00:00';
        // bext times are local time without a zone: kept as written.
        report.times.created = `${date}T${time}`;
      }
    }
    for (const packet of xmp) for (const s of xmpSoftware(packet)) software(s);
    const icrd = info['ICRD'];
    if (!report.times.created && icrd && !Number.isNaN(Date.parse(icrd))) report.times.created = icrd;
    marker(`chunk-order:${chunks.map((c) => c.id.trim()).join(',')}`);
    if (format) marker(`fmt-size:${format.chunkSize}`);

    report.details = {
      form,
      riffSize: riffSize32,
      ...(ds64 ? { ds64 } : {}),
      chunks: chunks.slice(0, 200),
      ...(format ? { format } : {}),
      ...(factSamples !== undefined ? { factSamples } : {}),
      ...(data ? { data } : {}),
      ...(Object.keys(info).length ? { info } : {}),
      ...(bext ? { bext } : {}),
      ...(xmp.length ? { xmp: xmp.slice(0, 2).map((x) => text(Buffer.from(x), 65536)) } : {}),
    };
    return report;
  },
};

async function durations(
  report: StructureReport,
  data: DataChunk,
  format: WavFormat,
  factSamples: number | undefined,
  ds64: Ds64 | undefined,
): Promise<void> {
  const { byteRate, blockAlign, sampleRate } = format;
  if (byteRate > 0 && data.declared !== undefined) {
    const declared: StructureReport['declared'][number] = {
      source: 'wav-data',
      seconds: secs(data.declared / byteRate),
    };
    if (
      format.codec === 'pcm' ||
      format.codec === 'float' ||
      format.codec === 'alaw' ||
      format.codec === 'mulaw'
    ) {
      if (blockAlign > 0) {
        declared.samples = Math.floor(data.declared / blockAlign);
        declared.sampleRate = sampleRate;
      }
    }
    report.declared.push(declared);
  }
  const fact = factSamples === 0xffffffff && ds64 ? ds64.sampleCount : factSamples;
  if (fact !== undefined && fact !== 0xffffffff && sampleRate > 0)
    report.declared.push({ source: 'wav-fact', seconds: secs(fact / sampleRate), samples: fact, sampleRate });
  if (byteRate > 0) {
    const counted: StructureReport['counted'][number] = {
      source: 'wav-data-bytes',
      seconds: secs(data.present / byteRate),
    };
    if (blockAlign > 0) counted.frames = Math.floor(data.present / blockAlign);
    report.counted.push(counted);
  }
  // A data chunk that ends mid-block: its last sample frame is cut.
  if (blockAlign > 1 && data.present % blockAlign !== 0) {
    const truncated = data.declared !== undefined && data.present < data.declared;
    if (!truncated)
      report.frameIssues.push({
        kind: 'partial-block',
        offset: data.start + data.present - (data.present % blockAlign),
        ...(byteRate > 0 ? { at: secs(data.present / byteRate) } : {}),
        detail: `the data chunk holds ${data.present} bytes, not a whole number of ${blockAlign}-byte blocks`,
        strong: false,
        data: { bytes: data.present, blockAlign, remainder: data.present % blockAlign },
      });
  }
}

/** A WAVE header inside the data chunk: a second file pasted in with sizes patched up. */
async function embeddedRiff(
  source: ByteSource,
  report: StructureReport,
  data: DataChunk,
  byteRate: number,
): Promise<void> {
  const end = data.start + data.present;
  let pos = data.start;
  while (pos < end) {
    const block = await source.read(pos, Math.min(SCAN_BLOCK + 12, end - pos));
    if (block.length === 0) return;
    let i = block.indexOf('RIFF', 0, 'latin1');
    while (i >= 0 && i + 12 <= block.length) {
      if (block.toString('latin1', i + 8, i + 12) === 'WAVE') {
        const offset = pos + i;
        report.appended.push({
          kind: 'second-riff',
          offset,
          at: secs((offset - data.start) / byteRate),
          detail: `a RIFF/WAVE header sits inside the audio data at byte ${offset}: another file was joined in`,
          strong: true,
        });
        return;
      }
      i = block.indexOf('RIFF', i + 1, 'latin1');
    }
    if (block.length <= 12) return;
    pos += block.length - 11;
  }
}
