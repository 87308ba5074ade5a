// WeChat/QQ voice messages are SILK v3, which ffmpeg cannot read: decode them with silk-wasm.
import { readFile } from 'node:fs/promises';
import { decode, getDuration } from 'silk-wasm';
import type { DecodeResult, PcmConsumer } from './types.js';

/** SILK voice messages are short (WeChat caps them at 60 s), so reading them whole is bounded. */
const MAX_SILK_BYTES = 64 * 1024 * 1024;
export const SILK_RATE = 24_000;

export async function decodeSilk(
  absolutePath: string,
  consumers: readonly PcmConsumer[],
): Promise<DecodeResult> {
  for (const c of consumers) c.begin(SILK_RATE);
  const base: DecodeResult = {
    ok: false,
    decoder: 'silk-wasm',
    sampleRate: SILK_RATE,
    samples: 0,
    duration: 0,
    messages: [],
  };
  try {
    const raw = await readFile(absolutePath);
    if (raw.length > MAX_SILK_BYTES) return { ...base, error: 'SILK file larger than any voice message' };
    // silk-wasm expects the Tencent variant with its leading 0x02 byte; plain "#!SILK_V3" files lack it.
    const bytes = raw[0] === 0x02 ? raw : Buffer.concat([Buffer.from([0x02]), raw]);
    const declared = getDuration(bytes) / 1000;
    const result = await decode(bytes, SILK_RATE);
    const data = result.data.byteOffset % 2 === 0 ? result.data : result.data.slice();
    const pcm = new Int16Array(data.buffer, data.byteOffset, Math.floor(data.byteLength / 2));
    for (const c of consumers) await c.push(pcm);
    const samples = pcm.length;
    const out: DecodeResult = { ...base, ok: samples > 0, samples, duration: samples / SILK_RATE };
    if (declared > 0) out.messages.push({ text: `SILK frames add up to ${declared.toFixed(3)} s` });
    if (samples === 0) out.error = 'no audio samples decoded';
    return out;
  } catch (error) {
    return { ...base, error: error instanceof Error ? error.message : String(error) };
  } finally {
    for (const c of consumers) c.end();
  }
}
