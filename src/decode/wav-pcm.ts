// Plain PCM WAVE files are "decoded" straight from the bytes of the single hashing read, without ffmpeg.
import { endianness } from 'node:os';
import type { StructureReport } from '../formats/types.js';
import type { ChunkConsumer } from '../hash/digest.js';
import type { PacketTable } from '../probe/ffprobe.js';
import type { DecodeResult, PcmConsumer } from './types.js';

/** Where the samples of a plain PCM WAVE file are, and how to read them. */
export interface WavPlan {
  /** First byte of the data chunk's payload. */
  dataStart: number;
  /** Bytes of samples (whole frames). */
  dataSize: number;
  channels: 1 | 2;
  bits: 16 | 24;
  sampleRate: number;
  blockAlign: number;
}

/** KSDATAFORMAT_SUBTYPE_PCM, as stored in WAVE_FORMAT_EXTENSIBLE. */
const PCM_GUID = '0100000000001000800000aa00389b71';
/** ffmpeg's WAVE demuxer reads packets of at most this many bytes (whole frames). */
const FFMPEG_WAV_PACKET = 4096;
/** The analysis never runs above this rate (see inspect's analysisRate). */
const MAX_RATE = 48_000;
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * The plan for a WAVE file whose head (the first bytes, already read) holds a RIFF header, a PCM fmt
 * chunk and the start of a data chunk that lies wholly inside the file: 16-bit mono or stereo, or 24-bit
 * mono, at most 48 kHz. These are the layouts whose ffmpeg decode to mono s16 is reproduced here sample
 * for sample (mono 16-bit is a copy, stereo 16-bit is (L + R + 1) >> 1, 24-bit keeps the top 16 bits);
 * anything else (float, 8-bit, 24-bit stereo, RF64, placeholders, odd sizes) goes through ffmpeg.
 */
export function planWavPcm(head: Buffer, fileSize: number): WavPlan | undefined {
  if (
    head.length < 12 ||
    head.toString('latin1', 0, 4) !== 'RIFF' ||
    head.toString('latin1', 8, 12) !== 'WAVE'
  )
    return undefined;
  let pos = 12;
  let format: Omit<WavPlan, 'dataStart' | 'dataSize'> | undefined;
  while (pos + 8 <= head.length) {
    const id = head.toString('latin1', pos, pos + 4);
    const size = head.readUInt32LE(pos + 4);
    const start = pos + 8;
    if (id === 'fmt ') {
      if (format || size < 16 || start + size > head.length) return undefined;
      format = pcmFormat(head.subarray(start, start + size));
      if (!format) return undefined;
    } else if (id === 'data') {
      if (!format || size === 0 || size === 0xffff_ffff) return undefined;
      if (size % format.blockAlign !== 0 || start + size > fileSize) return undefined;
      return { ...format, dataStart: start, dataSize: size };
    } else if (!/^[\x20-\x7e]{4}$/.test(id) || id === 'RIFF' || id === 'ds64') {
      return undefined;
    }
    pos = start + size + (size & 1);
  }
  return undefined;
}

function pcmFormat(fmt: Buffer): Omit<WavPlan, 'dataStart' | 'dataSize'> | undefined {
  const tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  if (tag === 0xfffe) {
    if (fmt.length < 40 || fmt.subarray(24, 40).toString('hex') !== PCM_GUID) return undefined;
    // Fewer valid bits than the container holds: ffmpeg's handling is not reproduced here.
    if (fmt.readUInt16LE(18) !== bits) return undefined;
  } else if (tag !== 1) return undefined;
  if (sampleRate <= 0 || sampleRate > MAX_RATE) return undefined;
  const supported = (bits === 16 && (channels === 1 || channels === 2)) || (bits === 24 && channels === 1);
  if (!supported || blockAlign !== (channels * bits) / 8) return undefined;
  return { channels: channels as 1 | 2, bits: bits as 16 | 24, sampleRate, blockAlign };
}

/**
 * True when the structure parse confirms the plan: one data chunk exactly where the head said, present
 * in full, nothing appended, nothing cut, no chunk walk trouble. Only then is the decode ffmpeg would
 * make (which also follows a second data chunk or reads on past a cut) known to equal the planned one.
 */
export function confirmWavPlan(plan: WavPlan, structure: StructureReport | undefined): boolean {
  if (structure?.container !== 'wav' || !structure.complete) return false;
  if (structure.truncation.length > 0 || structure.appended.length > 0) return false;
  if (structure.frameIssues.length > 0) return false;
  const details = structure.details as {
    chunks?: Array<{ id: string }>;
    data?: { start?: number; present?: number; declared?: number };
  };
  const chunks = details.chunks ?? [];
  if (chunks.length >= 200 || chunks.filter((c) => c.id === 'data').length !== 1) return false;
  const data = details.data;
  return data?.start === plan.dataStart && data.present === plan.dataSize && data.declared === plan.dataSize;
}

/**
 * The packets ffprobe lists for such a file, without running it: ffmpeg's WAVE demuxer cuts the data
 * chunk into packets of 4096 bytes rounded down to whole frames, timed by their sample offsets (printed
 * to the microsecond, as ffprobe prints them).
 */
export function wavPackets(plan: WavPlan): PacketTable {
  const packetBytes = Math.max(
    plan.blockAlign,
    Math.floor(FFMPEG_WAV_PACKET / plan.blockAlign) * plan.blockAlign,
  );
  const count = Math.ceil(plan.dataSize / packetBytes);
  const table: PacketTable = {
    count,
    pts: new Float64Array(count),
    duration: new Float64Array(count),
    pos: new Float64Array(count),
    size: new Uint32Array(count),
  };
  // ffprobe prints ticks × av_q2d(1/rate), a double, with "%f".
  const tick = 1 / plan.sampleRate;
  for (let i = 0; i < count; i++) {
    const offset = i * packetBytes;
    const bytes = Math.min(packetBytes, plan.dataSize - offset);
    table.pts[i] = printedMicro((offset / plan.blockAlign) * tick);
    table.duration[i] = printedMicro((bytes / plan.blockAlign) * tick);
    table.pos[i] = plan.dataStart + offset;
    table.size[i] = bytes;
  }
  return table;
}

/**
 * A double as C's printf("%f") prints it, read back: rounded to six decimals from its exact binary value,
 * ties (possible for dyadic values such as 0.0078125) to even, where JavaScript's toFixed rounds them up.
 */
export function printedMicro(value: number): number {
  // Only a value within rounding of a half-microsecond can be a tie; the exact digits are costly.
  const scaled = Math.abs(value) * 1e6;
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) return Number(value.toFixed(6));
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 7);
  let text = value.toFixed(6);
  if (/^50*$/.test(rest)) {
    const digit = Number(exact[point + 6]);
    // toFixed rounded the tie away from zero; printf keeps an even last digit.
    if (digit % 2 === 0) text = `${value < 0 ? '-' : ''}${exact.slice(0, point + 7)}`;
  }
  return Number(text);
}

/**
 * A reader of the single hashing read that hands the data chunk's samples, as mono s16, to the analysis
 * consumers. Samples are views of the read buffer when they can be (mono 16-bit), otherwise converted
 * into one reused scratch array.
 */
export class WavPcmReader implements ChunkConsumer {
  private samples = 0;
  private readonly carry: Buffer;
  private carried = 0;
  private scratch = new Int16Array(0);
  private ended = false;
  private waits: Promise<void>[] = [];

  constructor(
    readonly plan: WavPlan,
    private readonly consumers: readonly PcmConsumer[],
  ) {
    this.carry = Buffer.alloc(plan.blockAlign);
    for (const c of consumers) c.begin(plan.sampleRate, plan.dataSize / plan.blockAlign);
  }

  update(chunk: Buffer, offset: number): Promise<void> | undefined {
    if (this.ended) return undefined;
    const { dataStart, dataSize, blockAlign } = this.plan;
    const from = Math.max(offset, dataStart);
    const to = Math.min(offset + chunk.length, dataStart + dataSize);
    if (to <= from) return undefined;
    let bytes = chunk.subarray(from - offset, to - offset);
    if (this.carried > 0) {
      // A frame split between two reads: complete it from the start of this one.
      const need = blockAlign - this.carried;
      const take = Math.min(need, bytes.length);
      bytes.copy(this.carry, this.carried, 0, take);
      this.carried += take;
      bytes = bytes.subarray(take);
      if (this.carried < blockAlign) return undefined;
      this.emit(this.carry);
      this.carried = 0;
    }
    const whole = bytes.length - (bytes.length % blockAlign);
    if (whole > 0) this.emit(bytes.subarray(0, whole));
    if (whole < bytes.length) {
      bytes.copy(this.carry, 0, whole);
      this.carried = bytes.length - whole;
    }
    // Consumers copy what they keep during push: waiting (for a worker to catch up) is all that is left.
    const waits = this.waits;
    this.waits = [];
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
  }

  private emit(frames: Buffer): void {
    const { channels, bits, blockAlign } = this.plan;
    const count = frames.length / blockAlign;
    let pcm: Int16Array;
    if (channels === 1 && bits === 16 && LITTLE_ENDIAN && frames.byteOffset % 2 === 0) {
      pcm = new Int16Array(frames.buffer, frames.byteOffset, count);
    } else {
      if (this.scratch.length < count) this.scratch = new Int16Array(count);
      pcm = this.scratch.subarray(0, count);
      if (bits === 16 && channels === 1) {
        for (let i = 0; i < count; i++) pcm[i] = frames.readInt16LE(2 * i);
      } else if (bits === 16) {
        // ffmpeg's integer downmix: both channels at half weight, rounded half up.
        for (let i = 0; i < count; i++)
          pcm[i] = (frames.readInt16LE(4 * i) + frames.readInt16LE(4 * i + 2) + 1) >> 1;
      } else {
        // 24-bit to 16-bit as ffmpeg converts it: the top 16 bits (rounded towards minus infinity).
        for (let i = 0; i < count; i++) pcm[i] = frames.readInt16LE(3 * i + 1);
      }
    }
    for (const c of this.consumers) {
      const wait = c.push(pcm);
      if (wait) this.waits.push(wait);
    }
    this.samples += count;
  }

  /** Ends the consumers (once) and reports the decode the way ffmpeg's would read. */
  finish(): DecodeResult {
    if (!this.ended) {
      this.ended = true;
      for (const c of this.consumers) c.end();
    }
    const { sampleRate } = this.plan;
    const result: DecodeResult = {
      ok: this.samples > 0,
      decoder: 'pcm',
      sampleRate,
      samples: this.samples,
      duration: this.samples / sampleRate,
      messages: [],
    };
    if (this.samples === 0) result.error = 'no audio samples decoded';
    return result;
  }
}
