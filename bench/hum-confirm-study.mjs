#!/usr/bin/env node
// How far a wandering grid's hum drifts where nothing was cut, measured the way the mains-hum check
// confirms a phase jump (the nearest hum blocks on each side, 3 to 5 of them). Makes uncut speech-like
// recordings with a wandering 50/60 Hz grid (±0.05 Hz, up to ~0.025 Hz/s, ducked under speech; the model of
// fixtures/lib/speech.mjs) in a temp folder, as 8 kHz WAV and as AAC and MP3, inspects them, and prints,
// for every phase-jump mark, the 8 s and the short-scale angle. A warning needs ≥ 70° over 8 s and ≥ 90°
// at the short scale: the largest short-scale angle on these uncut files is the margin.
// Usage: npm run build && node bench/hum-confirm-study.mjs [count]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from '../dist/index.js';
import { encodeAs } from '../fixtures/lib/originals.mjs';
import { speechLike, wavBytes } from '../fixtures/lib/speech.mjs';

const count = Number(process.argv[2] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'ae-hum-study-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const rows = [];
for (let i = 0; i < count; i++) {
  const seed = 1000 + i * 37;
  const humHz = i % 3 === 2 ? 60 : 50;
  const signal = speechLike({
    seconds: 14 + (i % 5) * 4,
    seed,
    sampleRate: 48000,
    pitch: 110 + ((i * 13) % 120),
    noiseDb: -50 - (i % 4) * 2,
    noiseTilt: 0.4 + (i % 3) * 0.15,
    humHz,
    humDb: -42 - (i % 5) * 3,
    humWander: true,
  });
  const master = join(dir, `m${i}.wav`);
  writeFileSync(master, wavBytes(signal.samples, signal.sampleRate));
  for (const key of ['wav', 'm4a', 'mp3']) {
    const out = join(dir, `r${i}.${key}`);
    encodeAs(key, master, out);
    const result = await inspect(out);
    for (const f of result.findings.filter((x) => x.id === 'mains-hum-phase-jump'))
      rows.push({
        file: `r${i}.${key}`,
        severity: f.severity,
        at: f.at,
        degrees: Math.abs(f.evidence.degrees),
        score: f.evidence.score,
        short:
          f.evidence.shortScaleDegrees === undefined ? undefined : Math.abs(f.evidence.shortScaleDegrees),
        reach: f.evidence.shortScaleReach,
        before: f.evidence.blocksBefore,
        after: f.evidence.blocksAfter,
      });
    process.stderr.write('.');
  }
}
process.stderr.write('\n');
const long = rows.filter((r) => r.degrees >= 70 && r.score >= 10);
const shorts = long.filter((r) => r.short !== undefined).map((r) => r.short);
console.log(`uncut recordings: ${count} × (wav, m4a, mp3) = ${count * 3}`);
console.log(`phase-jump marks: ${rows.length}; ≥ 70° and score ≥ 10 over 8 s: ${long.length}`);
console.log(`short-scale angle on those: max ${Math.max(0, ...shorts)}°, measured on ${shorts.length}`);
console.log(`warnings: ${rows.filter((r) => r.severity !== 'info').length}`);
for (const r of long)
  console.log(
    `  ${r.file} at ${r.at} s: ${r.degrees}° (score ${r.score}), short ${r.short ?? '-'}° reach ${r.reach ?? '-'} s, blocks ${r.before}/${r.after}`,
  );
