// The ffmpeg decode: spawned without a shell, PCM to the consumers, and decoder messages placed where the
// decoder met the damage, the same on every run (stdout and stderr arrive in no fixed order).
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArgs, decodeWithFfmpeg } from '../../src/decode/ffmpeg-decode.js';
import type { PcmConsumer } from '../../src/decode/types.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { fixture } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function counter(): PcmConsumer & { count: number; ended: number } {
  return {
    count: 0,
    ended: 0,
    begin() {},
    push(pcm) {
      this.count += pcm.length;
    },
    end() {
      this.ended++;
    },
  };
}

describe('decodeWithFfmpeg', () => {
  it('hands every sample of the first audio stream to the consumers, as mono at the asked rate', async () => {
    const { ffmpeg } = await binaries();
    const consumer = counter();
    const result = await decodeWithFfmpeg({
      ffmpegPath: ffmpeg.path,
      absolutePath: fixture('originals/rec-a.m4a'),
      sampleRate: 16_000,
      consumers: [consumer],
    });
    expect(result).toMatchObject({ ok: true, decoder: 'ffmpeg', sampleRate: 16_000, messages: [] });
    expect(consumer.count).toBe(result.samples);
    expect(consumer.ended).toBe(1);
    expect(result.duration).toBeGreaterThan(19.9);
    expect(result.duration).toBeLessThan(20.2);
  });

  it('names the input as a file: URL right after -i and writes only to stdout', () => {
    const args = decodeArgs('/evidence/-rec:1.m4a', 8000);
    expect(args[args.indexOf('-i') + 1]).toBe('file:/evidence/-rec:1.m4a');
    expect(args.slice(-3)).toEqual(['-f', 's16le', 'pipe:1']);
  });

  it('places the messages of damage in mid-file where the damage is, the same on every run', async () => {
    // A constant-bitrate MP3 (48 kbit/s): byte 60 000 is 10 s into the audio.
    const bytes = Buffer.from(readFileSync(fixture('originals/rec-a.mp3')));
    let seed = 7;
    for (let i = 60_000; i < 64_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const path = join(dir, 'damaged.mp3');
    writeFileSync(path, bytes);
    const seconds = (60_000 / statSync(path).size) * 20.06;
    const { ffmpeg } = await binaries();
    const runs: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const result = await decodeWithFfmpeg({
        ffmpegPath: ffmpeg.path,
        absolutePath: path,
        sampleRate: 22_050,
        consumers: [counter()],
      });
      expect(result.ok).toBe(true);
      expect(result.messages.length).toBeGreaterThan(0);
      runs.push(result.messages.map((m) => m.at!));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    for (const at of runs[0]!) {
      expect(at).toBeGreaterThan(seconds - 1);
      expect(at).toBeLessThan(seconds + 0.5);
    }
  });

  it('runs ffmpeg (through fluent-ffmpeg) with exactly the decode arguments, and the rerun with -debug_ts', async () => {
    const { ffmpeg } = await binaries();
    // A wrapper that records its argv and runs the real ffmpeg.
    const log = join(dir, 'argv.log');
    const wrapper = join(dir, 'ffmpeg-wrapper');
    writeFileSync(
      wrapper,
      [
        `#!${process.execPath}`,
        "const { appendFileSync } = require('node:fs');",
        "const { spawnSync } = require('node:child_process');",
        `appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');`,
        `const run = spawnSync(${JSON.stringify(ffmpeg.path)}, process.argv.slice(2), { stdio: 'inherit' });`,
        'process.exit(run.status ?? 1);',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const bytes = Buffer.from(readFileSync(fixture('originals/rec-a.mp3')));
    for (let i = 60_000; i < 61_000; i++) bytes[i] = (i * 7919) & 0xff;
    const path = join(dir, 'damaged-argv.mp3');
    writeFileSync(path, bytes);
    const result = await decodeWithFfmpeg({
      ffmpegPath: wrapper,
      absolutePath: path,
      sampleRate: 16_000,
      consumers: [counter()],
    });
    expect(result.ok).toBe(true);
    expect(result.messages.length).toBeGreaterThan(0);
    const runs = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[])
      .filter((argv) => argv.includes('-i'));
    expect(runs[0]).toEqual(decodeArgs(path, 16_000));
    expect(runs).toHaveLength(2);
    const rerun = runs[1]!;
    expect(rerun).toContain('-debug_ts');
    expect(rerun[rerun.indexOf('-i') + 1]).toBe(`file:${path}`);
    expect(rerun.slice(-3)).toEqual(['-f', 'null', 'pipe:1']);
    expect(rerun).not.toContain('-y');
  });
});
