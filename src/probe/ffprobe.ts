// ffprobe facts: container format, streams and, for timestamp checks, every audio packet (compactly).
import { ffmpegInputUrl } from '../tools/ffmpeg.js';
import { runProcess } from '../tools/run-process.js';

export interface ProbeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_long_name?: string;
  profile?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  bits_per_sample?: number;
  bits_per_raw_sample?: string;
  bit_rate?: string;
  duration?: string;
  duration_ts?: number;
  time_base?: string;
  start_time?: string;
  nb_frames?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
}

export interface ProbeFormat {
  format_name?: string;
  format_long_name?: string;
  duration?: string;
  start_time?: string;
  size?: string;
  bit_rate?: string;
  nb_streams?: number;
  tags?: Record<string, string>;
}

/** Audio packets of the first audio stream, as parallel typed arrays (≈24 bytes per packet). */
export interface PacketTable {
  count: number;
  /** Presentation time in seconds (NaN when unknown). */
  pts: Float64Array;
  /** Duration in seconds (NaN when unknown). */
  duration: Float64Array;
  /** Byte position in the file (-1 when unknown). */
  pos: Float64Array;
  size: Uint32Array;
}

export interface ProbeResult {
  ok: boolean;
  format?: ProbeFormat;
  streams: ProbeStream[];
  audio?: ProbeStream;
  packets?: PacketTable;
  error?: string;
  stderr: string;
}

const PROBE_TIMEOUT_MS = 60_000;
const PACKET_TIMEOUT_MS = 10 * 60_000;

/** Container and stream facts. Never throws for a bad file: `ok: false` and the error text instead. */
export async function probeFormat(ffprobePath: string, absolutePath: string): Promise<ProbeResult> {
  const args = ['-hide_banner', '-v', 'error', '-show_error', '-show_format', '-show_streams', '-of', 'json'];
  args.push(ffmpegInputUrl(absolutePath));
  const result = await runProcess(ffprobePath, args, {
    timeoutMs: PROBE_TIMEOUT_MS,
    maxStdout: 32 * 1024 * 1024,
  });
  let parsed: { format?: ProbeFormat; streams?: ProbeStream[]; error?: { string?: string } } = {};
  try {
    parsed = JSON.parse(result.stdout.toString('utf8') || '{}');
  } catch {
    parsed = {};
  }
  const streams = parsed.streams ?? [];
  const audio = streams.find((s) => s.codec_type === 'audio');
  const out: ProbeResult = { ok: result.code === 0 && !!parsed.format, streams, stderr: result.stderr };
  if (parsed.format) out.format = parsed.format;
  if (audio) out.audio = audio;
  const error = result.timedOut
    ? 'ffprobe timed out'
    : (parsed.error?.string ?? (result.code !== 0 ? result.stderr.trim() : ''));
  if (error) out.error = error;
  return out;
}

class Growable {
  pts = new Float64Array(1024);
  duration = new Float64Array(1024);
  pos = new Float64Array(1024);
  size = new Uint32Array(1024);
  count = 0;

  push(pts: number, duration: number, pos: number, size: number): void {
    if (this.count === this.pts.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.pts = grow(this.pts, (n) => new Float64Array(n));
      this.duration = grow(this.duration, (n) => new Float64Array(n));
      this.pos = grow(this.pos, (n) => new Float64Array(n));
      this.size = grow(this.size, (n) => new Uint32Array(n));
    }
    const i = this.count++;
    this.pts[i] = pts;
    this.duration[i] = duration;
    this.pos[i] = pos;
    this.size[i] = size;
  }

  table(): PacketTable {
    const n = this.count;
    return {
      count: n,
      pts: this.pts.slice(0, n),
      duration: this.duration.slice(0, n),
      pos: this.pos.slice(0, n),
      size: this.size.slice(0, n),
    };
  }
}

/**
 * Parses the CSV ffprobe prints for packets straight from its bytes: hours of audio are hundreds of
 * thousands of lines, and splitting them into strings costs more (in garbage collection) than reading
 * them. Numbers are read as Number() reads them: a decimal's digits form an exact integer and one
 * division by an exact power of ten rounds it correctly; "N/A" and empty fields are NaN.
 */
class PacketCsv {
  /** Field values of the current line: pts, duration, size, pos (NaN when not a number). */
  private readonly fields = new Float64Array(4);
  /** Whether each field was there at all and held any character. */
  private readonly present = new Uint8Array(4);
  private readonly filled = new Uint8Array(4);
  private chars = 0;
  private field = 0;
  private mantissa = 0;
  private scale = 1;
  private digits = 0;
  private negative = false;
  private fraction = false;
  private invalid = false;
  private empty = true;

  constructor(private readonly table: Growable) {}

  private endField(): void {
    if (this.field < 4) {
      const value =
        this.invalid || this.digits === 0 || this.digits > 15
          ? Number.NaN
          : (this.negative ? -this.mantissa : this.mantissa) / this.scale;
      this.fields[this.field] = value;
      this.present[this.field] = 1;
      this.filled[this.field] = this.chars > 0 ? 1 : 0;
    }
    this.field++;
    this.resetField();
  }

  private endLine(): void {
    if (this.empty) return;
    this.endField();
    const f = this.fields;
    // ffprobe prints fields in its own order (pts_time, duration_time, size, pos), not the -show_entries order.
    // As Number() read the text: a missing or "N/A" pos is -1, an empty one 0; a size that is not a number 0.
    const at = (k: number): number => (this.present[k] ? f[k]! : Number.NaN);
    const pos = !this.present[3] || (this.filled[3] && Number.isNaN(f[3]!)) ? -1 : this.filled[3] ? f[3]! : 0;
    this.table.push(at(0), at(1), pos, at(2) || 0);
    this.present.fill(0);
    this.filled.fill(0);
    this.field = 0;
    this.empty = true;
  }

  write(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c >= 0x30 && c <= 0x39) {
        this.mantissa = this.mantissa * 10 + (c - 0x30);
        this.digits++;
        this.chars++;
        if (this.fraction) this.scale *= 10;
        this.empty = false;
      } else if (c === 0x2c) {
        this.endField();
        this.empty = false;
      } else if (c === 0x0a) {
        this.endLine();
        this.field = 0;
        this.resetField();
      } else if (c === 0x2e && !this.fraction) {
        this.fraction = true;
        this.chars++;
        this.empty = false;
      } else if (c === 0x2d && this.chars === 0) {
        this.negative = true;
        this.chars++;
        this.empty = false;
      } else if (c !== 0x0d && c !== 0x20) {
        // "N/A" or anything unexpected: the field is not a number.
        this.invalid = true;
        this.chars++;
        this.empty = false;
      }
    }
  }

  private resetField(): void {
    this.chars = 0;
    this.mantissa = 0;
    this.scale = 1;
    this.digits = 0;
    this.negative = false;
    this.fraction = false;
    this.invalid = false;
  }

  end(): void {
    this.endLine();
  }
}

/** The packet table of ffprobe's CSV output, given in any number of pieces. */
export function packetTableFromCsv(pieces: readonly Buffer[]): PacketTable {
  const table = new Growable();
  const csv = new PacketCsv(table);
  for (const piece of pieces) csv.write(piece);
  csv.end();
  return table.table();
}

/** Every packet of the first audio stream (the one decoded), streamed line by line (~24 B per packet). */
export async function probePackets(
  ffprobePath: string,
  absolutePath: string,
): Promise<{ packets?: PacketTable; error?: string }> {
  const table = new Growable();
  const csv = new PacketCsv(table);
  const args = [
    '-hide_banner',
    '-v',
    'error',
    '-select_streams',
    'a:0',
    '-show_entries',
    'packet=pts_time,duration_time,pos,size',
    '-of',
    'csv=p=0',
    ffmpegInputUrl(absolutePath),
  ];
  const result = await runProcess(ffprobePath, args, {
    timeoutMs: PACKET_TIMEOUT_MS,
    onStdout: (chunk) => csv.write(chunk),
  });
  csv.end();
  const out: { packets?: PacketTable; error?: string } = { packets: table.table() };
  if (result.timedOut) out.error = 'ffprobe packet listing timed out';
  else if (result.code !== 0) out.error = result.stderr.trim() || `ffprobe exited with ${result.code}`;
  return out;
}
