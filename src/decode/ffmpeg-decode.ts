// The one decode of a file: ffmpeg (through fluent-ffmpeg) → mono s16le PCM piped into Node consumers.
import { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import { ffmpegInputUrl } from '../tools/ffmpeg.js';
import { logger } from '../tools/logger.js';
import type { DecodeResult, DecoderMessage, PcmConsumer } from './types.js';

const debug = logger('decode');

/** Hard cap on decoder messages we keep: a broken file can print one per frame. */
const MAX_MESSAGES = 200;

export interface FfmpegDecodeOptions {
  ffmpegPath: string;
  absolutePath: string;
  sampleRate: number;
  consumers: readonly PcmConsumer[];
  timeoutSeconds?: number;
}

/** Decode once; never throws for a bad recording (the failure is in the result). */
export function decodeWithFfmpeg(options: FfmpegDecodeOptions): Promise<DecodeResult> {
  const { sampleRate, consumers } = options;
  const messages: DecoderMessage[] = [];
  let samples = 0;
  let carry: Buffer | undefined;
  // Set when the result is settled: a timed-out or failed ffmpeg may still have PCM in the pipe, which
  // must not reach consumers that were already ended (nor change the sample count reported).
  let closed = false;
  for (const c of consumers) c.begin(sampleRate);

  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      if (closed) {
        callback();
        return;
      }
      let data = chunk;
      if (carry) {
        data = Buffer.concat([carry, chunk]);
        carry = undefined;
      }
      const usable = data.length - (data.length % 2);
      if (usable < data.length) carry = Buffer.from(data.subarray(usable));
      if (usable > 0) {
        // Copy when unaligned: Int16Array needs an even byte offset.
        const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data.subarray(0, usable));
        const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, usable / 2);
        for (const c of consumers) c.push(pcm);
        samples += pcm.length;
      }
      callback();
    },
  });

  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      closed = true;
      for (const c of consumers) c.end();
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
    // Always the first audio stream: ffprobe and ffmpeg may be different builds that number streams differently.
    const map = '0:a:0';
    const command = ffmpeg({ timeout: options.timeoutSeconds ?? 3600 })
      .setFfmpegPath(options.ffmpegPath)
      .input(ffmpegInputUrl(options.absolutePath))
      // -nostdin: never wait on a terminal; -xerror is not used because a damaged file should decode on.
      // -max_error_rate 1: keep decoding through damage, so everything readable is analysed and reported.
      .inputOptions(['-nostdin', '-hide_banner', '-v', 'error'])
      .outputOptions(['-max_error_rate', '1'])
      // -flush_packets 0: write the pipe in full I/O blocks, not one small write per decoded frame
      // (per-frame flushes cost as much system time as the decode itself on a long recording).
      .outputOptions([
        '-map',
        map,
        '-vn',
        '-sn',
        '-dn',
        '-ac',
        '1',
        '-ar',
        String(sampleRate),
        '-flush_packets',
        '0',
      ])
      .audioCodec('pcm_s16le')
      .format('s16le')
      .on('stderr', (line: string) => {
        const text = line.trim();
        if (!text || messages.length >= MAX_MESSAGES) return;
        messages.push({ at: samples / sampleRate, text });
      })
      .on('error', (error: Error) => {
        debug('ffmpeg error: %s', error.message);
        // fluent-ffmpeg reports "Output stream closed" when the sink ends first; samples tell the truth.
        finish(error.message.split('\n')[0]);
      })
      .on('end', () => {
        sink.end(() => finish());
      });
    command.pipe(sink, { end: false });
  });
}
