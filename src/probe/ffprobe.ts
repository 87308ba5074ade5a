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

const num = (text: string | undefined): number => {
  if (text === undefined || text === '' || text === 'N/A') return Number.NaN;
  return Number(text);
};

/** Every packet of the first audio stream (the one decoded), streamed line by line (~24 B per packet). */
export async function probePackets(
  ffprobePath: string,
  absolutePath: string,
): Promise<{ packets?: PacketTable; error?: string }> {
  const table = new Growable();
  let rest = '';
  const onLine = (line: string): void => {
    if (!line) return;
    // ffprobe prints fields in its own order (pts_time, duration_time, size, pos), not the -show_entries order.
    const [pts, duration, size, pos] = line.split(',');
    table.push(
      num(pts),
      num(duration),
      pos === undefined || pos === 'N/A' ? -1 : Number(pos),
      Number(size) || 0,
    );
  };
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
    onStdout: (chunk) => {
      const text = rest + chunk.toString('latin1');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line.trim());
    },
  });
  onLine(rest.trim());
  const out: { packets?: PacketTable; error?: string } = { packets: table.table() };
  if (result.timedOut) out.error = 'ffprobe packet listing timed out';
  else if (result.code !== 0) out.error = result.stderr.trim() || `ffprobe exited with ${result.code}`;
  return out;
}
