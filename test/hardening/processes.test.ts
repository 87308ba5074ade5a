// External processes: no shell, names never read as options or protocols, every call bounded in time
// and killed on expiry, stderr kept (decoder errors become findings), and nothing written next to the
// evidence file but the bundle.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg } from '../../src/decode/ffmpeg-decode.js';
import { inspect } from '../../src/inspect.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { runProcess } from '../../src/tools/run-process.js';
import { tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import { BIN, ensureBuilt, FFMPEG, listing, ORIGINALS, STACK_LINE } from './support.js';

/** Pids of live processes whose command line contains `marker` (read from /proc, nothing is signalled). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Waits (bounded) until no live process carries `marker`; returns those still there at the end. */
async function gone(marker: string, waitMs = 10_000): Promise<number[]> {
  const until = Date.now() + waitMs;
  let left = processesWith(marker);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    left = processesWith(marker);
  }
  return left;
}

const HAS_PROC = existsSync('/proc/self/cmdline');
const require = createRequire(import.meta.url);

describe('runProcess', () => {
  it.skipIf(!HAS_PROC)('kills a command that hangs when its timeout expires, and says so', async () => {
    // A duration no other process on the machine uses, so /proc can tell this sleep from any other.
    const marker = `29.${process.pid}`;
    const result = await runProcess('sleep', [marker], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(await gone(marker)).toEqual([]);
  });

  it('never goes through a shell: metacharacters arrive as plain arguments and run nothing', async () => {
    const dir = tempDir('ae-noshell-');
    const hostile = [
      `$(touch ${join(dir, 'dollar')})`,
      `\`touch ${join(dir, 'backtick')}\``,
      `; touch ${join(dir, 'semicolon')}`,
      `| touch ${join(dir, 'pipe')}`,
      `&& touch ${join(dir, 'and')}`,
      `> ${join(dir, 'redirect')}`,
      '*',
      '-rf',
      'line\nbreak',
    ];
    const result = await runProcess(process.execPath, [
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      '--',
      ...hostile,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.toString('utf8'))).toEqual(hostile);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps stderr, bounded', async () => {
    const result = await runProcess(
      process.execPath,
      ['-e', 'process.stderr.write("decoder said: " + "x".repeat(1 << 20))'],
      { maxStderr: 1000 },
    );
    expect(result.code).toBe(0);
    expect(result.stderr.startsWith('decoder said: x')).toBe(true);
    expect(result.stderr).toHaveLength(1000);
  });

  it.skipIf(!HAS_PROC)('refuses unbounded stdout by killing the process', async () => {
    const marker = `ae-flood-${process.pid}`;
    await expect(
      // writeSync: a plain write() would only queue inside the child, whose loop never yields.
      runProcess(process.execPath, ['-e', 'for(;;) require("fs").writeSync(1, "y".repeat(65536))', marker], {
        maxStdout: 1 << 20,
      }),
    ).rejects.toThrow(/more than 1048576 bytes/);
    expect(await gone(marker)).toEqual([]);
  });

  it('rejects (does not hang) when the program does not exist', async () => {
    await expect(runProcess(join(tempDir(), 'no-such-ffmpeg'), ['-version'])).rejects.toThrow(/ENOENT/);
  });
});

describe('ffmpeg and ffprobe never read a name as an option or a protocol', () => {
  // Each name is what ffmpeg would take for something else if it met it bare on its command line.
  const names = [
    '-i.m4a',
    '-y',
    'pipe:1.m4a',
    'concat:a.m4a|b.m4a',
    'http:evil.example.m4a',
    'file:x.m4a',
    'subfile,,start,0,end,10,,:x.m4a',
    'data:audio;base64,AAAA.m4a',
  ];
  let dir: string;
  beforeAll(() => {
    dir = join(tempDir('ae-names-'), '-folder pipe:');
    mkdirSync(dir);
  });

  it.each(names)('%s: probed and decoded as the file it is', async (name) => {
    const path = join(dir, name);
    copyFileSync(fixture('originals/rec-a.m4a'), path);
    const result = await inspect(path);
    expect(result.warnings).toEqual([]);
    expect(result.media.codec).toBe('aac');
    expect(result.media.duration.container).toBeCloseTo(20, 0);
    expect(result.media.duration.decoded).toBeGreaterThan(19.9);
  });

  it('the real CLI hands ffmpeg and ffprobe "file:" + the absolute path, always as the input', () => {
    ensureBuilt();
    const work = tempDir('ae-argv-');
    const log = join(work, 'argv.log');
    // Wrappers that record their argv and run the real binaries (FFMPEG_PATH / FFPROBE_PATH overrides).
    const wrap = (name: string, real: string): string => {
      const path = join(work, name);
      writeFileSync(
        path,
        [
          `#!${process.execPath}`,
          "const { appendFileSync } = require('node:fs');",
          "const { spawnSync } = require('node:child_process');",
          `appendFileSync(${JSON.stringify(log)}, JSON.stringify([${JSON.stringify(name)}, ...process.argv.slice(2)]) + '\\n');`,
          `const run = spawnSync(${JSON.stringify(real)}, process.argv.slice(2), { stdio: 'inherit' });`,
          'process.exit(run.status ?? 1);',
        ].join('\n'),
      );
      chmodSync(path, 0o755);
      return path;
    };
    const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
    const env = {
      ...process.env,
      LANG: 'en_US.UTF-8',
      FFMPEG_PATH: wrap('ffmpeg', FFMPEG),
      FFPROBE_PATH: wrap('ffprobe', ffprobe),
    };
    const input = join(dir, '-i pipe:0 -f null.m4a');
    copyFileSync(fixture('originals/rec-a.m4a'), input);
    const run = spawnSync(process.execPath, [BIN, 'inspect', '--json', '--', input], {
      env,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).media.duration.decoded).toBeGreaterThan(19.9);
    const calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
    const onInput = calls.filter((argv) => argv.some((a) => a.includes('pipe:0')));
    expect(onInput.map((argv) => argv[0]).sort()).toEqual(['ffmpeg', 'ffprobe', 'ffprobe']);
    for (const argv of onInput) {
      // The name appears exactly once, whole, as a file: URL of the absolute path.
      expect(argv.filter((a) => a.includes('pipe:0'))).toEqual([`file:${input}`]);
      if (argv[0] === 'ffmpeg') expect(argv[argv.indexOf(`file:${input}`) - 1]).toBe('-i');
    }
  });
});

describe('decoder errors and time limits', () => {
  it('ffmpeg stderr is kept and a damaged middle becomes a finding placed in time', async () => {
    const dir = tempDir('ae-damaged-');
    const bytes = Buffer.from(readFileSync(fixture('originals/rec-a.mp3')));
    // Noise over a stretch of frames in the middle: the decoder complains there.
    let seed = 7;
    for (let i = 60_000; i < 64_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const path = join(dir, 'damaged.mp3');
    writeFileSync(path, bytes);
    const result = await inspect(path);
    const decoderErrors = result.findings.find((f) => f.id === 'decoder-errors');
    expect(decoderErrors, JSON.stringify(result.findings.map((f) => f.id))).toBeDefined();
    const messages = (decoderErrors!.evidence?.['messages'] ?? []) as Array<{ text: string }>;
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]!.text).toMatch(/mp3|header|frame|error|invalid/i);
    expect(decoderErrors!.at).toBeGreaterThan(0);
    expect(decoderErrors!.at).toBeLessThan(20);
  });

  it.skipIf(!HAS_PROC)(
    'a decode that runs past its time limit is stopped and the ffmpeg process is gone',
    async () => {
      const dir = tempDir('ae-timeout-');
      // An hour of the fixture, stream-copied: seconds of decoding, far more than the limit allows.
      const long = join(dir, `long-${process.pid}.m4a`);
      const made = spawnSync(FFMPEG, [
        '-v',
        'error',
        '-stream_loop',
        '179',
        '-i',
        fixture('originals/rec-a.m4a'),
        '-c',
        'copy',
        long,
      ]);
      expect(made.status).toBe(0);
      const { ffmpeg } = await binaries();
      // A consumer that notes audio arriving after it was told the decode ended.
      let ended = false;
      let lateSamples = 0;
      const consumer = {
        begin() {},
        push(pcm: Int16Array) {
          if (ended) lateSamples += pcm.length;
        },
        end() {
          ended = true;
        },
      };
      const result = await decodeWithFfmpeg({
        ffmpegPath: ffmpeg.path,
        absolutePath: long,
        sampleRate: 16_000,
        consumers: [consumer],
        timeoutSeconds: 0.1,
      });
      expect(result.error ?? result.messages.map((m) => m.text).join(' ')).toMatch(/timeout/i);
      expect(result.duration).toBeLessThan(3600);
      expect(await gone(long)).toEqual([]);
      expect(lateSamples).toBe(0);
    },
  );
});

describe('nothing is written next to the evidence file except the bundle', () => {
  let dir: string;
  let files: string[];
  beforeAll(() => {
    ensureBuilt();
    dir = join(tempDir('ae-beside-'), 'evidence');
    mkdirSync(dir);
    files = ORIGINALS.map((original) => {
      const path = join(dir, original.slice(original.lastIndexOf('/') + 1));
      copyFileSync(original, path);
      return path;
    });
  });

  /** The folder as a whole: its entries (hidden ones too) and its own mtime. */
  const snapshot = () => ({ entries: listing(dir), mtimeMs: statSync(dir).mtimeMs });

  it('inspect, hash, pack --out elsewhere and verify --original leave the folder as it was', async () => {
    const before = snapshot();
    const elsewhere = join(dir, '..', 'bundles');
    expect((await cli(['inspect', '--json', ...files])).code).toBe(0);
    expect((await cli(['inspect', ...files])).code).toBe(0);
    expect((await cli(['hash', '--algo', 'sha256,sm3', ...files])).code).toBe(0);
    const packed = await cli(['pack', '--out', elsewhere, ...files]);
    expect(packed.stderr).not.toMatch(STACK_LINE);
    expect(packed.code, packed.stderr).toBe(0);
    // Each bundle against its own original: stdout gives the zip path, then "Original: data/original/<name>".
    const bundles = packed.stdout.split(/\n(?=\S)/).map((block) => ({
      zip: block.split('\n')[0]!,
      original: /data\/original\/(.+)$/m.exec(block)?.[1] ?? '',
    }));
    expect(bundles.map((b) => b.original).sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
    for (const { zip, original } of bundles) {
      const verified = await cli(['verify', zip, '--original', join(dir, original)]);
      expect(verified.code, `${zip}: ${verified.stdout}`).toBe(0);
    }
    expect(snapshot()).toEqual(before);
  });

  it('the real CLI run from inside the folder (its working directory) writes nothing there either', () => {
    const before = snapshot();
    const elsewhere = join(dir, '..', 'bundles-cwd');
    const env = { ...process.env, LANG: 'en_US.UTF-8' };
    for (const args of [
      ['inspect', '--json', 'rec-a.mp3', 'rec-a.silk'],
      ['pack', '--out', elsewhere, 'rec-a.wav', 'rec-a.opus'],
    ]) {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
    }
    // Two recordings of one batch share the stem "rec-a": each bundle keeps its extension (issue 13, case 14).
    expect(readdirSync(elsewhere).sort()).toEqual([
      'rec-a.opus-evidence-forms',
      'rec-a.opus-evidence.zip',
      'rec-a.opus-evidence.zip.sha256',
      'rec-a.wav-evidence-forms',
      'rec-a.wav-evidence.zip',
      'rec-a.wav-evidence.zip.sha256',
    ]);
    expect(snapshot()).toEqual(before);
  });

  it('pack without --out adds exactly the zip, its sidecar and the forms folder beside the original', async () => {
    const before = listing(dir);
    const packed = await cli(['pack', join(dir, 'rec-a.amr')]);
    expect(packed.code, packed.stderr).toBe(0);
    const added = listing(dir).filter((line) => !before.includes(line));
    expect(added.map((line) => line.split(' ')[1])).toEqual([
      '"rec-a-evidence-forms"',
      '"rec-a-evidence.zip"',
      '"rec-a-evidence.zip.sha256"',
    ]);
    expect(listing(dir).filter((line) => before.includes(line))).toEqual(before);
  });
});
