// FLAC frame headers: sync, block size, rate, channels, sample size, coded number, CRC-8.
import { crc8 } from '../crc.js';

export interface FlacFrameHeader {
  variable: boolean;
  blockSize: number;
  /** 0 when the header defers to STREAMINFO. */
  sampleRate: number;
  channels: number;
  /** 0 when the header defers to STREAMINFO. */
  bitsPerSample: number;
  /** Frame number (fixed block size) or first sample number (variable block size). */
  number: number;
  headerLength: number;
}

const RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const BITS = [0, 8, 12, 0, 16, 20, 24, 32];

/** Parses and CRC-checks the frame header at `i`; undefined unless it is a valid header. */
export function parseFlacFrameHeader(buf: Buffer, i: number): FlacFrameHeader | undefined {
  if (i + 6 > buf.length || buf[i] !== 0xff || (buf[i + 1]! & 0xfe) !== 0xf8) return undefined;
  const variable = (buf[i + 1]! & 1) === 1;
  const bsCode = buf[i + 2]! >> 4;
  const rateCode = buf[i + 2]! & 0x0f;
  const chCode = buf[i + 3]! >> 4;
  const bitsCode = (buf[i + 3]! >> 1) & 7;
  if (bsCode === 0 || rateCode === 15 || chCode > 10 || bitsCode === 3 || (buf[i + 3]! & 1) !== 0)
    return undefined;
  // The coded number uses UTF-8's length scheme, extended to 7 bytes (36 bits).
  let p = i + 4;
  const first = buf[p++]!;
  let extra: number;
  let number: number;
  if (first < 0x80) {
    extra = 0;
    number = first;
  } else if ((first & 0xe0) === 0xc0) {
    extra = 1;
    number = first & 0x1f;
  } else if ((first & 0xf0) === 0xe0) {
    extra = 2;
    number = first & 0x0f;
  } else if ((first & 0xf8) === 0xf0) {
    extra = 3;
    number = first & 0x07;
  } else if ((first & 0xfc) === 0xf8) {
    extra = 4;
    number = first & 0x03;
  } else if ((first & 0xfe) === 0xfc) {
    extra = 5;
    number = first & 0x01;
  } else if (first === 0xfe && variable) {
    extra = 6;
    number = 0;
  } else return undefined;
  if (p + extra + 4 > buf.length) return undefined;
  for (let k = 0; k < extra; k++) {
    const c = buf[p++]!;
    if ((c & 0xc0) !== 0x80) return undefined;
    number = number * 64 + (c & 0x3f);
  }
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = buf[p++]! + 1;
  else if (bsCode === 7) {
    blockSize = buf.readUInt16BE(p) + 1;
    p += 2;
  } else blockSize = 256 << (bsCode - 8);
  let sampleRate = RATES[rateCode] ?? 0;
  if (rateCode === 12) sampleRate = buf[p++]! * 1000;
  else if (rateCode === 13) {
    sampleRate = buf.readUInt16BE(p);
    p += 2;
  } else if (rateCode === 14) {
    sampleRate = buf.readUInt16BE(p) * 10;
    p += 2;
  }
  if (p >= buf.length || crc8(buf, i, p) !== buf[p]) return undefined;
  return {
    variable,
    blockSize,
    sampleRate,
    channels: chCode < 8 ? chCode + 1 : 2,
    bitsPerSample: BITS[bitsCode] ?? 0,
    number,
    headerLength: p + 1 - i,
  };
}
