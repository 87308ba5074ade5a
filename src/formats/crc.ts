// Table-driven CRCs the container formats use to protect their own bytes.

function msbTable16(poly: number): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ poly) & 0xffff : (c << 1) & 0xffff;
    table[n] = c;
  }
  return table;
}

function lsbTable16(poly: number): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c;
  }
  return table;
}

const CRC16_MSB = msbTable16(0x8005);
// LAME (and ffmpeg's AV_CRC_16_ANSI_LE) use the bit-reversed form of the same polynomial.
const CRC16_LSB = lsbTable16(0xa001);

const CRC8 = (() => {
  const table = new Uint8Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    table[n] = c;
  }
  return table;
})();

/** Ogg CRC-32 tables for slicing by four bytes: [k][n] is n followed by k zero bytes. */
const CRC32_OGG = (() => {
  const tables = [0, 1, 2, 3].map(() => new Uint32Array(256));
  const t0 = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t0[n] = c >>> 0;
  }
  for (let k = 1; k < 4; k++) {
    const prev = tables[k - 1]!;
    const t = tables[k]!;
    for (let n = 0; n < 256; n++) t[n] = ((prev[n]! << 8) ^ t0[prev[n]! >>> 24]!) >>> 0;
  }
  return tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
})();

/** CRC-16, polynomial 0x8005, MSB first (MPEG audio frame CRC with init 0xffff; FLAC frame footer with 0). */
export function crc16(buf: Uint8Array, start: number, end: number, init: number): number {
  let crc = init & 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_MSB[((crc >>> 8) ^ buf[i]!) & 0xff]!;
  return crc;
}

/** CRC-16 as LAME computes it for its info tag and music CRC (reflected 0x8005, init 0). */
export function crc16Lame(buf: Uint8Array, start: number, end: number, init = 0): number {
  let crc = init & 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ CRC16_LSB[(crc ^ buf[i]!) & 0xff]!;
  return crc;
}

/** CRC-8, polynomial 0x07, init 0 (FLAC frame header). */
export function crc8(buf: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = CRC8[crc ^ buf[i]!]!;
  return crc;
}

/** Ogg page CRC-32: polynomial 0x04c11db7, MSB first, init 0, no final xor. */
export function crc32Ogg(buf: Uint8Array, start: number, end: number, init = 0): number {
  const [t0, t1, t2, t3] = CRC32_OGG;
  let crc = init >>> 0;
  let i = start;
  // Four bytes per step: page bodies are most of an Ogg file's bytes.
  for (; i + 4 <= end; i += 4) {
    crc = (crc ^ ((buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!)) >>> 0;
    crc = (t3[crc >>> 24]! ^ t2[(crc >>> 16) & 0xff]! ^ t1[(crc >>> 8) & 0xff]! ^ t0[crc & 0xff]!) >>> 0;
  }
  for (; i < end; i++) crc = ((crc << 8) ^ t0[((crc >>> 24) ^ buf[i]!) & 0xff]!) >>> 0;
  return crc;
}
