// Vorbis comment blocks (Ogg Vorbis/Opus/Speex/FLAC and FLAC's VORBIS_COMMENT): vendor string and tags.

export interface VorbisComment {
  vendor: string;
  /** Tags in file order as [KEY (upper case), value] (values truncated). */
  comments: [string, string][];
  /** Comments the block declares beyond those listed (cap or truncated data). */
  omitted: number;
}

const MAX_COMMENTS = 128;
const MAX_VALUE = 256;

/** Parses a comment block that starts at `start` of `data` (after any codec-specific magic). */
export function parseVorbisComment(data: Buffer, start: number): VorbisComment | undefined {
  if (start + 4 > data.length) return undefined;
  const vendorLength = data.readUInt32LE(start);
  let pos = start + 4;
  if (vendorLength > data.length - pos) return undefined;
  const vendor = data.toString('utf8', pos, pos + vendorLength).replace(/\0+$/u, '');
  pos += vendorLength;
  const out: VorbisComment = { vendor, comments: [], omitted: 0 };
  if (pos + 4 > data.length) return out;
  const count = data.readUInt32LE(pos);
  pos += 4;
  for (let n = 0; n < count; n++) {
    if (pos + 4 > data.length || out.comments.length >= MAX_COMMENTS) {
      out.omitted = count - n;
      break;
    }
    const length = data.readUInt32LE(pos);
    pos += 4;
    if (length > data.length - pos) {
      out.omitted = count - n;
      break;
    }
    const text = data.toString('utf8', pos, pos + Math.min(length, MAX_VALUE + 64));
    pos += length;
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    out.comments.push([text.slice(0, eq).toUpperCase(), text.slice(eq + 1, eq + 1 + MAX_VALUE)]);
  }
  return out;
}

/** Encoder/tool strings among the comments (ENCODER, ENCODED_BY, ENCODING, TOOL…). */
export function commentWriters(vc: VorbisComment): string[] {
  return vc.comments
    .filter(
      ([k, v]) => /^(ENCODER|ENCODED[-_ ]?BY|ENCODING|ENCODER_OPTIONS|TOOL|SOFTWARE)$/u.test(k) && v.trim(),
    )
    .map(([, v]) => v.trim());
}

const ISO = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/u;

/** A creation time from DATE / CREATION_TIME comments, when it is written in ISO-8601 form. */
export function commentCreated(vc: VorbisComment): string | undefined {
  for (const [k, v] of vc.comments) {
    if ((k === 'CREATION_TIME' || k === 'DATE') && ISO.test(v.trim())) return v.trim().replace(' ', 'T');
  }
  return undefined;
}
