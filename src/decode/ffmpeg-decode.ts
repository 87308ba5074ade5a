// The one decode of a file: ffmpeg, driven through fluent-ffmpeg (no shell), writing mono s16le PCM to Node consumers.
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { ffmpegInputUrl } from '../tools/ffmpeg.js';
import { logger } from '../tools/logger.js';
import type { DecodeResult, DecoderMessage, PcmConsumer } from './types.js';

const debug = logger('decode');

/** Hard cap on decoder messages we keep: a broken file can print one per frame. */
const MAX_MESSAGES = 200;
/** The last stderr lines kept for the error text of a failed run (fluent-ffmpeg's own ring too). */
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

/** The decode's command line in the three parts fluent-ffmpeg takes (the target is always stdout). */
interface DecodeParts {
  inputOptions: string[];
  input: string;
  outputOptions: string[];
}

function decodeParts(absolutePath: string, sampleRate: number): DecodeParts {
  return {
    // -nostdin: never wait on a terminal; -xerror is not used because a damaged file should decode on.
    inputOptions: ['-nostdin', '-hide_banner', '-v', 'error'],
    input: ffmpegInputUrl(absolutePath),
    outputOptions: [
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
      // Codec and format as plain output options, not .audioCodec()/.format(): fluent-ffmpeg puts
      // those before the other output options, and the command line is to stay exactly this one.
      '-acodec',
      'pcm_s16le',
      '-f',
      's16le',
    ],
  };
}

/** The arguments of the decode: always the first audio stream, mono, at `sampleRate`, to stdout. */
export function decodeArgs(absolutePath: string, sampleRate: number): string[] {
  const parts = decodeParts(absolutePath, sampleRate);
  // The order fluent-ffmpeg builds: input options, -i input, output options, target.
  return [...parts.inputOptions, '-i', parts.input, ...parts.outputOptions, 'pipe:1'];
}

/** A fluent-ffmpeg command for these parts; fluent-ffmpeg spawns ffmpeg without a shell. */
function command(ffmpegPath: string, parts: DecodeParts): ffmpeg.FfmpegCommand {
  // stdoutLines bounds fluent-ffmpeg's own ring of stdout/stderr lines.
  return ffmpeg({ stdoutLines: TAIL_LINES })
    .setFfmpegPath(ffmpegPath)
    .input(parts.input)
    .inputOptions(parts.inputOptions)
    .outputOptions(parts.outputOptions);
}

/**
 * fluent-ffmpeg asks ffmpeg for its formats and its encoders (two runs, one after the other) before its
 * first command in a process. Asked here, beside the format probe, the answers are cached by the time the
 * decode starts instead of delaying it. Never fails: the decode would simply ask again.
 */
export async function prepareDecoder(ffmpegPath: string): Promise<void> {
  const cmd = ffmpeg().setFfmpegPath(ffmpegPath);
  await Promise.all([
    new Promise<void>((resolve) => cmd.availableFormats(() => resolve())),
    new Promise<void>((resolve) => cmd.availableEncoders(() => resolve())),
  ]);
}

/** The ffmpeg process of a started command (fluent-ffmpeg sets it before emitting 'start'; untyped). */
const processOf = (cmd: ffmpeg.FfmpegCommand): ChildProcess | undefined =>
  (cmd as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;

/**
 * The error text of a failed run, as fluent-ffmpeg words it: the exit code and the last stderr lines
 * that are not per-component log lines ("[aac @ …]") or continuations. Built here from our own bounded
 * tail and the real exit status, since fluent-ffmpeg's text can be pre-empted by its stream errors.
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
  const parts = decodeParts(options.absolutePath, sampleRate);
  // Same decode, written to the null muxer, with the per-packet log (printed at the info level); one
  // decoder thread, since frame threads (FLAC, …) log from their own threads in their own time.
  const inputOptions = [...parts.inputOptions];
  inputOptions.splice(inputOptions.indexOf('-v'), 2, '-nostats', '-debug_ts', '-v', 'info', '-threads', '1');
  const outputOptions = [...parts.outputOptions];
  outputOptions.splice(outputOptions.length - 2, 2, '-f', 'null');
  const wanted = messages.map((m) => comparable(m.text));
  const placed = new Uint8Array(messages.length);
  /** Messages placed so far; the first unplaced one is the earliest any line can still match. */
  let next = 0;
  let count = 0;
  let bytes = 0;
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
    let stopped = false;
    let killed = false;
    // The null muxer never opens its target; "pipe:1" (ffmpeg's "-") keeps fluent-ffmpeg from adding -y.
    const rerun = command(options.ffmpegPath, { ...parts, inputOptions, outputOptions }).output('pipe:1');
    const stop = (): void => {
      stopped = true;
      if (!killed && processOf(rerun)) {
        killed = true;
        rerun.kill('SIGKILL');
      }
    };
    const timer = setTimeout(stop, timeoutMs);
    rerun
      .on('start', (line: string) => {
        debug('placing %d decoder message(s): %s', messages.length, line);
        // The time limit may have run out while fluent-ffmpeg was still probing ffmpeg's capabilities.
        if (stopped) stop();
      })
      .on('stderr', (line: string) => {
        if (count >= wanted.length) return;
        onLine(line.slice(0, MAX_LINE));
        // Every message placed: the rest of the decode is not needed.
        if (count >= wanted.length) stop();
      })
      // Either way the log read so far is all there is; killing it ourselves also ends up here.
      .on('error', () => {
        clearTimeout(timer);
        resolve();
      })
      .on('end', () => {
        clearTimeout(timer);
        resolve();
      })
      .run();
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

  const deliver = (chunk: Buffer): Promise<unknown> | undefined => {
    if (closed || chunk.length === 0) return undefined;
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
    if (usable === 0) return undefined;
    // Int16Array needs an even byte offset; chunks from the pipe normally have one.
    const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data.subarray(0, usable));
    const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, usable / 2);
    const waits: Promise<void>[] = [];
    for (const c of consumers) {
      const wait = c.push(pcm);
      if (wait) waits.push(wait);
    }
    samples += pcm.length;
    return waits.length > 0 ? Promise.all(waits) : undefined;
  };

  // fluent-ffmpeg pipes ffmpeg's stdout here. The write callback is synchronous unless a consumer on a
  // worker thread has fallen behind: then the pipe pauses (and ffmpeg with it) until it has caught up.
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      const wait = deliver(chunk);
      if (wait) wait.then(() => callback(), callback);
      else callback();
    },
  });

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

    const onLine = (raw: string): void => {
      const text = raw.trim();
      if (!text) return;
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      if (messages.length < MAX_MESSAGES) messages.push({ at: samples / sampleRate, text });
    };

    const parts = decodeParts(options.absolutePath, sampleRate);
    const decode = command(options.ffmpegPath, parts);
    let timedOut = false;
    let child: ChildProcess | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      debug('ffmpeg ran into its time limit (%d ms)', timeoutMs);
      if (child) decode.kill('SIGKILL');
    }, timeoutMs);

    // Both must be in before the result: fluent-ffmpeg's 'end'/'error' (after ffmpeg exited and the last
    // stderr line was handed over) and the process's 'close' (after stdout ended: every byte of PCM has
    // been handed to the sink). fluent-ffmpeg does not wait for a piped stdout, and Node may emit 'close'
    // before fluent-ffmpeg has seen stderr close, so neither alone is enough.
    let fluentError: Error | undefined;
    let fluentDone = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnFailed = false;
    let settling = false;
    const settle = (): void => {
      if (settling || !fluentDone || (child && !exit && !spawnFailed)) return;
      settling = true;
      clearTimeout(timer);
      // Writes already handed to the sink are delivered before its end callback.
      sink.end(() => {
        if (timedOut) void finish(`ffmpeg ran into its time limit (timeout after ${timeoutMs / 1000} s)`);
        else if (exit && exit.code === 0) void finish(undefined, true);
        else if (exit) void finish(exitError(exit.code, exit.signal, tail).split('\n')[0], samples > 0);
        else {
          // ffmpeg never ran (capability probe or spawn failed): fluent-ffmpeg's text is all there is.
          const message = fluentError?.message ?? 'ffmpeg did not run';
          debug('ffmpeg could not run: %s', message);
          void finish(message.split('\n')[0]);
        }
      });
    };

    decode
      .on('start', (line: string) => {
        debug('%s', line);
        child = processOf(decode);
        if (!child) return;
        child.once('error', () => {
          spawnFailed = true;
          settle();
        });
        child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
          exit = { code, signal };
          settle();
        });
        // The time limit may have run out while fluent-ffmpeg was still probing ffmpeg's capabilities.
        if (timedOut) decode.kill('SIGKILL');
      })
      .on('stderr', (line: string) => onLine(line.slice(0, MAX_LINE)))
      .on('error', (error: Error) => {
        // Its "ffmpeg exited with code …", a kill after the time limit, or "Output stream closed" / a pipe
        // error if the sink ended first: the exit status and the samples received tell the truth.
        debug('ffmpeg error (fluent-ffmpeg): %s', error.message.split('\n')[0]);
        fluentError = error;
        fluentDone = true;
        settle();
      })
      .on('end', () => {
        fluentDone = true;
        settle();
      });
    // end: false — the sink is ended by us, once the process has closed (see settle()).
    decode.pipe(sink, { end: false });
  });
}
