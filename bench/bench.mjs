#!/usr/bin/env node
// Benchmark: times and peak memory of inspect and pack on one-hour (and two-hour) recordings, against
// sha256sum and a plain ffmpeg decode of the same file measured in the same run. Prints ratios and a table.
// Usage: npm run bench            (BENCH_RUNS=3 by default; BENCH_QUICK=1 uses 10-minute files)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BITEXACT, ffmpeg, ffmpegPath } from '../fixtures/lib/ffmpeg.mjs';
import { speechLike, wavBytes } from '../fixtures/lib/speech.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench', 'cache');
const bin = join(root, 'dist', 'bin.js');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const quick = process.env.BENCH_QUICK === '1';
const hour = quick ? 600 : 3600;
const label = (seconds) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`);

mkdirSync(cache, { recursive: true });

/** A 60-second speech-like master, looped to the wanted length by ffmpeg (cached between runs). */
function recording(kind, seconds) {
  const master = join(cache, 'master-60s.wav');
  if (!existsSync(master)) {
    const { samples, sampleRate } = speechLike({ seconds: 60, seed: 7, humHz: 50, humDb: -52, noiseDb: -50 });
    writeFileSync(master, wavBytes(samples, sampleRate));
  }
  const ext = kind === 'm4a' ? 'm4a' : 'wav';
  const path = join(cache, `speech-${seconds}s.${ext}`);
  if (!existsSync(path)) {
    process.stderr.write(`making ${path}…\n`);
    const loops = Math.ceil(seconds / 60) - 1;
    const codec = kind === 'm4a' ? ['-c:a', 'aac', '-b:a', '64k'] : ['-c:a', 'pcm_s16le'];
    ffmpeg([
      '-stream_loop',
      String(loops),
      '-i',
      master,
      '-t',
      String(seconds),
      '-ac',
      '1',
      ...codec,
      ...BITEXACT,
      path,
    ]);
  }
  return path;
}

/** The measured command's pid: GNU time's only child when it runs under GNU time. */
function mainPid(pid) {
  if (!gnuTime) return pid;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return children[0] ? Number(children[0]) : pid;
  } catch {
    return pid;
  }
}

/** Peak resident memory of a process tree, sampled from /proc while it runs (Linux). */
function treeRss(pid) {
  let total = 0;
  const visit = (p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      if (match) total += Number(match[1]) * 1024;
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) visit(Number(child));
    } catch {
      // The process ended between samples.
    }
  };
  visit(pid);
  return total;
}

/** GNU time, when present: CPU time (user + system) of the command and every process it waited for. */
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'bench-cpu:';

/**
 * Runs a command once: wall time in seconds, CPU time (user + system, children included; NaN without
 * GNU time), peak RSS of the main process and of the whole tree.
 */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const [file, argv] = gnuTime ? [gnuTime, ['-f', `${CPU_MARK}%U %S`, cmd, ...args]] : [cmd, args];
    const spawned = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    // Memory is sampled from the measured command itself, not from GNU time around it.
    const child = {
      get pid() {
        return mainPid(spawned.pid);
      },
    };
    let stderr = '';
    spawned.stderr.on('data', (d) => {
      stderr += d;
    });
    let peakTree = 0;
    let peakMain = 0;
    const sample = () => {
      peakTree = Math.max(peakTree, treeRss(child.pid));
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakMain = Math.max(peakMain, Number(hwm[1]) * 1024);
      } catch {
        // ended
      }
    };
    const timer = setInterval(sample, 25);
    spawned.on('close', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpuLine = stderr.split('\n').find((line) => line.startsWith(CPU_MARK));
      const cpu = cpuLine
        ? cpuLine
            .slice(CPU_MARK.length)
            .trim()
            .split(/\s+/)
            .map(Number)
            .reduce((a, b) => a + b, 0)
        : Number.NaN;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr}`));
      else resolve({ seconds, cpu, peakMain, peakTree });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function bench(name, cmd, argsFor) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(cmd, argsFor(i)));
  return {
    name,
    seconds: median(results.map((r) => r.seconds)),
    cpu: median(results.map((r) => r.cpu)),
    peakMain: Math.max(...results.map((r) => r.peakMain)),
    peakTree: Math.max(...results.map((r) => r.peakTree)),
  };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const packWorks = spawnSync(process.execPath, [bin, 'pack', '--help'], { encoding: 'utf8' }).status === 0;

async function suite(kind, seconds) {
  const file = recording(kind, seconds);
  const out = mkdtempSync(join(tmpdir(), 'ae-bench-'));
  try {
    const sha = await bench('sha256sum', 'sha256sum', () => [file]);
    const dec = await bench('ffmpeg decode', ffmpegPath(), () => [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      file,
      '-f',
      'null',
      '-',
    ]);
    const ins = await bench('inspect', process.execPath, () => [bin, 'inspect', '--json', file]);
    const rows = [sha, dec, ins];
    if (packWorks) {
      rows.push(
        await bench('pack', process.execPath, (i) => {
          const dir = join(out, String(i));
          mkdirSync(dir, { recursive: true });
          return [bin, 'pack', '--out', dir, file];
        }),
      );
    }
    const base = sha.seconds + dec.seconds;
    return { kind, seconds, size: statSync(file).size, rows, base };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const suites = [];
suites.push(await suite('m4a', hour));
suites.push(await suite('wav', hour));
suites.push(await suite('wav', hour * 2));

const lines = [];
lines.push(
  `audio-evidence benchmark — ${new Date().toISOString()} — ${runs} run(s) each, median time, peak RSS`,
);
lines.push('');
lines.push(
  '| recording | size | step | time (s) | ratio to sha256sum + decode | CPU user+sys (s) | peak RSS (node) | peak RSS (tree) |',
);
lines.push('|---|---|---|---|---|---|---|---|');
for (const s of suites) {
  for (const r of s.rows) {
    const ratio = r.name === 'inspect' || r.name === 'pack' ? `${(r.seconds / s.base).toFixed(2)}×` : '';
    lines.push(
      `| ${s.kind.toUpperCase()} ${label(s.seconds)} | ${mb(s.size)} | ${r.name} | ${r.seconds.toFixed(2)} | ${ratio} | ${Number.isNaN(r.cpu) ? '' : r.cpu.toFixed(2)} | ${mb(r.peakMain)} | ${mb(r.peakTree)} |`,
    );
  }
}
lines.push('');
const verdicts = [];
// Issue 16's targets (round two): M4A inspect ≤ 1.5× and pack ≤ 1.6×, WAV pack ≤ 2.0× (DESIGN.md's final
// targets are 1.1× and 1.2×).
const TARGETS = { m4a: { inspect: 1.5, pack: 1.6 }, wav: { pack: 2.0 } };
const target = (kind, step) =>
  TARGETS[kind]?.[step] ? ` (target ≤ ${TARGETS[kind][step].toFixed(2)}×)` : '';
for (const s of suites.slice(0, 2)) {
  const ins = s.rows.find((r) => r.name === 'inspect');
  const pk = s.rows.find((r) => r.name === 'pack');
  verdicts.push(
    `${s.kind} ${label(s.seconds)}: inspect ${(ins.seconds / s.base).toFixed(2)}×${target(s.kind, 'inspect')}` +
      (pk ? `, pack ${(pk.seconds / s.base).toFixed(2)}×${target(s.kind, 'pack')}` : ', pack not available'),
  );
}
const peakOf = (s) =>
  Math.max(...s.rows.filter((r) => r.name === 'inspect' || r.name === 'pack').map((r) => r.peakMain));
verdicts.push(
  `peak node memory: ${mb(Math.max(...suites.map(peakOf)))} (target ≤ 200 MB); WAV ${label(hour)} → ${label(hour * 2)}: ${mb(peakOf(suites[1]))} → ${mb(peakOf(suites[2]))} (flat when the recording doubles)`,
);
lines.push(...verdicts);
process.stdout.write(`${lines.join('\n')}\n`);
