// MPEG audio frame headers and layer III side information, read from a buffer without copying.
import { crc16 } from '../crc.js';

export type MpegVersion = '1' | '2' | '2.5';
export type ChannelMode = 'stereo' | 'joint-stereo' | 'dual-channel' | 'mono';

export interface FrameHeader {
  version: MpegVersion;
  layer: 1 | 2 | 3;
  /** CRC-16 follows the header (protection bit 0). */
  crc: boolean;
  /** kbps; 0 means free format, which this walk does not follow. */
  bitrate: number;
  sampleRate: number;
  padding: boolean;
  channelMode: ChannelMode;
  channels: 1 | 2;
  /** Frame length in bytes, header included. */
  length: number;
  samples: number;
  /** Bytes of layer III side information (0 for layers I/II). */
  sideInfo: number;
}

const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<MpegVersion, readonly number[]> = {
  '1': [44100, 48000, 32000],
  '2': [22050, 24000, 16000],
  '2.5': [11025, 12000, 8000],
};
const MODES: readonly ChannelMode[] = ['stereo', 'joint-stereo', 'dual-channel', 'mono'];

/** Parses the 4-byte header at `i`; undefined when it is not a valid, followable frame header. */
export function parseFrameHeader(buf: Buffer, i: number): FrameHeader | undefined {
  if (i + 4 > buf.length) return undefined;
  const b1 = buf[i + 1]!;
  if (buf[i] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 0x03;
  const layerBits = (b1 >> 1) & 0x03;
  if (versionBits === 1 || layerBits === 0) return undefined;
  const b2 = buf[i + 2]!;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0x03;
  // Bitrate index 0 is free format: its length is not in the header, so it cannot be walked safely.
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const b3 = buf[i + 3]!;
  // Emphasis value 2 is reserved; real encoders never write it, noise often does.
  if ((b3 & 0x03) === 2) return undefined;
  const version: MpegVersion = versionBits === 3 ? '1' : versionBits === 2 ? '2' : '2.5';
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const group = version === '1' ? 1 : 2;
  const bitrate = BITRATES[`${group}-${layer}`]![bitrateIndex]!;
  const sampleRate = RATES[version][rateIndex]!;
  const padding = ((b2 >> 1) & 1) === 1;
  const channelMode = MODES[b3 >> 6]!;
  const channels = channelMode === 'mono' ? 1 : 2;
  let length: number;
  let samples: number;
  if (layer === 1) {
    length = (Math.floor((12 * bitrate * 1000) / sampleRate) + (padding ? 1 : 0)) * 4;
    samples = 384;
  } else if (layer === 2) {
    length = Math.floor((144 * bitrate * 1000) / sampleRate) + (padding ? 1 : 0);
    samples = 1152;
  } else {
    const factor = version === '1' ? 144 : 72;
    length = Math.floor((factor * bitrate * 1000) / sampleRate) + (padding ? 1 : 0);
    samples = version === '1' ? 1152 : 576;
  }
  const sideInfo = layer !== 3 ? 0 : version === '1' ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
  return {
    version,
    layer,
    crc: (b1 & 1) === 0,
    bitrate,
    sampleRate,
    padding,
    channelMode,
    channels,
    length,
    samples,
    sideInfo,
  };
}

/** Do two headers belong to the same elementary stream (ignoring bitrate, padding and stereo flavour)? */
export function sameStream(a: FrameHeader, b: FrameHeader): boolean {
  return (
    a.version === b.version &&
    a.layer === b.layer &&
    a.sampleRate === b.sampleRate &&
    a.channels === b.channels
  );
}

export interface SideInfo {
  /** Bytes back from this frame's main-data start where its main data begins (the bit reservoir). */
  mainDataBegin: number;
  /** Bits of main data (scale factors + Huffman data) over all granules and channels. */
  mainDataBits: number;
}

/** Reads main_data_begin and the part2_3_length fields of a layer III frame's side information. */
export function readSideInfo(buf: Buffer, frame: number, h: FrameHeader): SideInfo | undefined {
  const start = frame + 4 + (h.crc ? 2 : 0);
  if (h.layer !== 3 || start + h.sideInfo > buf.length) return undefined;
  let bit = start * 8;
  const read = (n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) {
      v = (v << 1) | ((buf[bit >> 3]! >> (7 - (bit & 7))) & 1);
      bit++;
    }
    return v;
  };
  const mpeg1 = h.version === '1';
  const mainDataBegin = read(mpeg1 ? 9 : 8);
  read(mpeg1 ? (h.channels === 1 ? 5 : 3) : h.channels === 1 ? 1 : 2); // private bits
  if (mpeg1) read(4 * h.channels); // scfsi
  const granules = mpeg1 ? 2 : 1;
  // Bits per granule and channel after part2_3_length: big_values 9, global_gain 8, scalefac_compress
  // 4 (MPEG-1) or 9, window switching 1 + 22, then preflag (MPEG-1 only), scalefac_scale, count1table.
  const rest = mpeg1 ? 9 + 8 + 4 + 1 + 22 + 3 : 9 + 8 + 9 + 1 + 22 + 2;
  let mainDataBits = 0;
  for (let g = 0; g < granules; g++) {
    for (let c = 0; c < h.channels; c++) {
      mainDataBits += read(12);
      bit += rest;
    }
  }
  return { mainDataBegin, mainDataBits };
}

/** Checks the frame's CRC-16 (header bytes 2-3 plus the protected side information), when it has one. */
export function frameCrcOk(buf: Buffer, frame: number, h: FrameHeader): boolean | undefined {
  if (!h.crc) return undefined;
  // Layers I/II protect more (bit allocation) than we can size without decoding; check layer III only.
  if (h.layer !== 3) return undefined;
  const end = frame + 6 + h.sideInfo;
  if (end > buf.length) return undefined;
  let crc = crc16(buf, frame + 2, frame + 4, 0xffff);
  crc = crc16(buf, frame + 6, end, crc);
  return crc === buf.readUInt16BE(frame + 4);
}
