// MP4/QuickTime atom headers: size forms (32-bit, 64-bit, to-end), type sanity, and the bounded atom tree.

/** One atom as found in the file. Offsets are absolute file offsets. */
export interface Atom {
  type: string;
  offset: number;
  /** Size the atom declares (header included), after resolving the 0 and 64-bit forms. */
  size: number;
  headerSize: number;
  /** True when the size field was 0 ("extends to the end of its parent / the file"). */
  toEnd: boolean;
}

/** A node of the atom tree kept for the report (plain data). */
export interface AtomNode {
  type: string;
  offset: number;
  size: number;
  children?: AtomNode[];
}

export type HeaderResult = { atom: Atom } | { problem: string };

/** Four-character codes are printable ASCII or the QuickTime © (0xA9) prefix. */
export function plausibleType(buf: Buffer, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = buf[i];
    if (c === undefined) return false;
    if (c !== 0xa9 && (c < 0x20 || c > 0x7e)) return false;
  }
  return true;
}

export const fourcc = (buf: Buffer, at: number): string => buf.toString('latin1', at, at + 4);

/**
 * Reads the atom header at `pos` of `buf` (whose byte 0 sits at file offset `base`). `limit` is the
 * index in `buf` where the parent ends; a size running past it is reported to the caller unchanged.
 */
export function headerAt(buf: Buffer, base: number, pos: number, limit: number): HeaderResult {
  if (pos + 8 > buf.length || pos + 8 > limit)
    return { problem: 'fewer than 8 bytes left for an atom header' };
  const size32 = buf.readUInt32BE(pos);
  const type = fourcc(buf, pos + 4);
  if (size32 === 1) {
    if (pos + 16 > buf.length) return { problem: `atom '${printable(type)}' has a cut 64-bit size` };
    const size = Number(buf.readBigUInt64BE(pos + 8));
    if (size < 16) return { problem: `atom '${printable(type)}' declares a 64-bit size below 16` };
    return { atom: { type, offset: base + pos, size, headerSize: 16, toEnd: false } };
  }
  if (size32 === 0)
    return { atom: { type, offset: base + pos, size: limit - pos, headerSize: 8, toEnd: true } };
  if (size32 < 8) return { problem: `atom '${printable(type)}' declares size ${size32}` };
  return { atom: { type, offset: base + pos, size: size32, headerSize: 8, toEnd: false } };
}

/** A type for messages: non-printable bytes shown as hex. */
export function printable(type: string): string {
  return /^[\x20-\x7e\xa9]{4}$/.test(type) ? type : Buffer.from(type, 'latin1').toString('hex');
}

/** MP4 time fields count seconds since 1904-01-01T00:00:00Z; 0 means "not set". */
export function mp4Time(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  const ms = (seconds - 2_082_844_800) * 1000;
  // Dates before 1970 or far in the future are writer garbage, not times worth reporting.
  if (ms <= 0 || ms > Date.UTC(2200, 0, 1)) return undefined;
  return new Date(ms).toISOString();
}
