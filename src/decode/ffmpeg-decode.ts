// The one decode of a file: ffmpeg, spawned directly (no shell), writing mono s16le PCM to Node consumers.
import { spawn } from 'node:child_process';
import { ffmpegInputUrl } from '../tools/ffmpeg.js';
import { logger } from '../tools/logger.js';
import type { DecodeResult, DecoderMessage, PcmConsumer } from './types.js';

const debug = logger('decode');

/** Hard cap on decoder messages we keep: a broken file can print one per frame. */
const MAX_MESSAGES = 200;
/** The last stderr lines kept for the error text of a failed run. */
const TAIL_LINES = 50;
/** Longest stderr line kept (a hostile file name or tag can make ffmpeg print megabytes). */
const MAX_LINE = 4096;

export interface FfmpegDecodeOptions {
  ffmpegPath: string;
  absolutePath: string;
  sampleRate: number;
  consumers: readonly PcmConsumer[];
  timeoutSeconds?: number;
  /** The duration the container declares, if any: lets consumers size their arrays once. */
  expectedSeconds?: number;
}

/** The arguments of the decode: always the first audio stream, mono, at `sampleRate`, to stdout. */
export function decodeArgs(absolutePath: string, sampleRate: number): string[] {
  return [
    // -nostdin: never wait on a terminal; -xerror is not used because a damaged file should decode on.
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-i',
    ffmpegInputUrl(absolutePath),
    // -max_error_rate 1: keep decoding through damage, so everything readable is analysed and reported.
    '-max_error_rate',
    '1',
    // Always the first audio stream: ffprobe and ffmpeg may be different builds that number streams differently.
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    '1',
    '-ar',
    String(sampleRate),
    // -flush_packets 0: write the pipe in full I/O blocks, not one small write per decoded frame
    // (per-frame flushes cost as much system time as the decode itself on a long recording).
    '-flush_packets',
    '0',
    '-acodec',
    'pcm_s16le',
    '-f',
    's16le',
    'pipe:1',
  ];
}

/**
 * The error text of a failed run, as fluent-ffmpeg (which this module once used) worded it: the exit
 * code and the last stderr lines that are not per-component log lines ("[aac @ …]") or continuations.
 */
function exitError(code: number | null, signal: NodeJS.Signals | null, tail: readonly string[]): string {
  let last: string[] = [];
  for (const line of tail) {
    if (line.startsWith(' ') || line.startsWith('[')) last = [];
    else last.push(line);
  }
  const head =
    signal && code === null ? `ffmpeg was killed with signal ${signal}` : `ffmpeg exited with code ${code}`;
  return last.length > 0 ? `${head}: ${last.join('\n')}` : head;
}

/** ffmpeg prints a component's address in its messages ("[mp3float @ 0x55d…]"); it differs between runs. */
const comparable = (text: string): string => text.replace(/ @ 0x[0-9a-f]+\]/i, ']');

/**
 * Places decoder messages exactly in the decoded audio. While decoding, a message is stamped with the
 * samples received when it arrives, but stdout and stderr are separate pipes read in whatever order the
 * scheduler gives: a mid-file error can arrive after all of the audio (and read as a cut end) or long
 * before its own place. So, for a file whose decode produced messages (damaged or joined files only),
 * the decode is run once more without output, with ffmpeg's -debug_ts log of every packet it writes:
 * that log and the decoder's messages come down one stream in the order they happened, and the bytes
 * written before a message are the samples before it. Messages it cannot match keep their first stamps.
 */
async function placeMessages(
  options: FfmpegDecodeOptions,
  messages: DecoderMessage[],
  timeoutMs: number,
): Promise<void> {
  const { sampleRate } = options;
  const args = decodeArgs(options.absolutePath, sampleRate);
  // Same decode, written to the null muxer, with the per-packet log (printed at the info level); one
  // decoder thread, since frame threads (FLAC, …) log from their own threads in their own time.
  args.splice(args.indexOf('-v'), 2, '-nostats', '-debug_ts', '-v', 'info', '-threads', '1');
  args.splice(args.length - 3, 3, '-f', 'null', '-');
  const wanted = messages.map((m) => comparable(m.text));
  const placed = new Uint8Array(messages.length);
  /** Messages placed so far; the first unplaced one is the earliest any line can still match. */
  let next = 0;
  let count = 0;
  let bytes = 0;
  let partial = '';
  const onLine = (raw: string): void => {
    const line = raw.trim();
    if (line.startsWith('muxer <-')) {
      const size = /\bsize:(\d+)/.exec(line);
      if (size) bytes += Number(size[1]);
    } else if (count < wanted.length) {
      // The first unplaced message with this text: threads may have ordered the first run's log slightly
      // differently, so matching does not insist on the same order.
      const text = comparable(line);
      for (let k = next; k < wanted.length; k++) {
        if (placed[k] || wanted[k] !== text) continue;
        placed[k] = 1;
        count++;
        messages[k]!.at = bytes / 2 / sampleRate;
        while (next < wanted.length && placed[next]) next++;
        break;
      }
    }
  };
  await new Promise<void>((resolve) => {
    debug('placing %d decoder message(s): %s %o', messages.length, options.ffmpegPath, args);
    const child = spawn(options.ffmpegPath, args, {
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (partial + text).split(/\r\n|\r|\n/);
      partial = (lines.pop() ?? '').slice(0, MAX_LINE);
      if (count >= wanted.length) return;
      for (const line of lines) onLine(line.slice(0, MAX_LINE));
      // Every message placed: the rest of the decode is not needed.
      if (count >= wanted.length) child.kill('SIGKILL');
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve();
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (partial) onLine(partial);
      resolve();
    });
  });
  debug('placed %d of %d decoder message(s)', count, messages.length);
}

/** Decode once; never throws for a bad recording (the failure is in the result). */
export function decodeWithFfmpeg(options: FfmpegDecodeOptions): Promise<DecodeResult> {
  const { sampleRate, consumers } = options;
  const messages: DecoderMessage[] = [];
  const tail: string[] = [];
  let samples = 0;
  /** An odd byte left at the end of a chunk: pipes split wherever they like. */
  let oddByte = -1;
  // Set when the result is settled: no PCM may reach consumers that were already ended.
  let closed = false;
  const expected =
    options.expectedSeconds !== undefined &&
    Number.isFinite(options.expectedSeconds) &&
    options.expectedSeconds > 0
      ? Math.round(options.expectedSeconds * sampleRate)
      : undefined;
  for (const c of consumers) c.begin(sampleRate, expected);
  const timeoutMs = (options.timeoutSeconds ?? 3600) * 1000;

  const deliver = (chunk: Buffer): void => {
    if (closed || chunk.length === 0) return;
    let data = chunk;
    if (oddByte >= 0) {
      // Rare: rebuild the split sample in a small copy (the chunk itself is left alone).
      const joined = Buffer.allocUnsafe(chunk.length + 1);
      joined[0] = oddByte;
      chunk.copy(joined, 1);
      data = joined;
      oddByte = -1;
    }
    const usable = data.length & ~1;
    if (usable < data.length) oddByte = data[usable]!;
    if (usable === 0) return;
    // Int16Array needs an even byte offset; chunks from the pipe normally have one.
    const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data.subarray(0, usable));
    const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, usable / 2);
    for (const c of consumers) c.push(pcm);
    samples += pcm.length;
  };

  return new Promise((resolve) => {
    let settled = false;
    const finish = async (error?: string, place = false): Promise<void> => {
      if (settled) return;
      settled = true;
      closed = true;
      for (const c of consumers) c.end();
      if (place && messages.length > 0) await placeMessages(options, messages, timeoutMs);
      // A damaged file that still yields audio is decoded: the error stays on record as a message.
      if (error && samples > 0) messages.push({ at: samples / sampleRate, text: error });
      const result: DecodeResult = {
        ok: samples > 0,
        decoder: 'ffmpeg',
        sampleRate,
        samples,
        duration: samples / sampleRate,
        messages,
      };
      if (error) result.error = error;
      else if (samples === 0) result.error = 'no audio samples decoded';
      resolve(result);
    };

    const args = decodeArgs(options.absolutePath, sampleRate);
    debug('%s %o', options.ffmpegPath, args);
    const child = spawn(options.ffmpegPath, args, {
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      debug('ffmpeg ran into its time limit (%d ms)', timeoutMs);
      child.kill('SIGKILL');
    }, timeoutMs);

    child.stdout.on('data', deliver);
    let partial = '';
    const onLine = (raw: string): void => {
      const text = raw.trim();
      if (!text) return;
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      if (messages.length < MAX_MESSAGES) messages.push({ at: samples / sampleRate, text });
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (partial + text).split(/\r\n|\r|\n/);
      partial = (lines.pop() ?? '').slice(0, MAX_LINE);
      for (const line of lines) onLine(line.slice(0, MAX_LINE));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      debug('ffmpeg could not run: %s', error.message);
      void finish(error.message);
    });
    // 'close' comes after stdout and stderr ended: every byte of PCM has been delivered by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (partial) onLine(partial);
      partial = '';
      if (timedOut) void finish(`ffmpeg ran into its time limit (timeout after ${timeoutMs / 1000} s)`);
      else if (code !== 0) void finish(exitError(code, signal, tail).split('\n')[0], samples > 0);
      else void finish(undefined, true);
    });
  });
}
