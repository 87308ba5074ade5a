#!/usr/bin/env node
// Detection snapshot and comparison: inspects every fixture (fixtures/manifest.json) and every recording in
// ../shared/samples with the built library (dist/), and records every finding (id, check, severity, at, end)
// and every check's outcome. `--save FILE` writes the snapshot; `--against FILE` compares a new run with it
// and exits 1 when a finding appears, disappears, changes severity, or moves by more than one analysis
// window (0.1 s; a second, wider tolerance for whole-recording statistics is reported, not failed).
// Usage: node bench/detection-compare.mjs --save /tmp/before.json
//        node bench/detection-compare.mjs --against /tmp/before.json [--save /tmp/after.json]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from '../dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const savePath = option('--save');
const againstPath = option('--against');
/** One analysis window (the per-window statistics' hop is 20 ms; the coarsest series 100 ms). */
const WINDOW = 0.1;
const CONCURRENCY = 2;

const manifest = JSON.parse(readFileSync(join(root, 'fixtures/manifest.json'), 'utf8'));
const samplesRoot = resolve(root, '..', 'shared', 'samples');
const samples = existsSync(samplesRoot)
  ? readdirSync(samplesRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) =>
        readdirSync(join(samplesRoot, d.name))
          .filter((name) => !/\.(tsv|md|txt)$/i.test(name))
          .sort()
          .map((name) => join(samplesRoot, d.name, name)),
      )
  : [];
const files = [...manifest.fixtures.map((f) => join(root, 'fixtures', f.file)), ...samples];

async function snapshot(file) {
  try {
    const r = await inspect(file);
    return {
      findings: r.findings
        .map((f) => ({ id: f.id, check: f.check, severity: f.severity, at: f.at, end: f.end }))
        .sort((a, b) => a.id.localeCompare(b.id) || (a.at ?? -1) - (b.at ?? -1)),
      checks: Object.fromEntries(r.checks.map((c) => [c.id, c.outcome])),
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const results = {};
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < files.length) {
      const file = files[next++];
      results[relative(resolve(root, '..'), file)] = await snapshot(file);
      process.stderr.write('.');
    }
  }),
);
process.stderr.write('\n');
const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
if (savePath) writeFileSync(savePath, `${JSON.stringify(sorted, null, 1)}\n`);

if (againstPath) {
  const before = JSON.parse(readFileSync(againstPath, 'utf8'));
  const problems = [];
  const shifts = [];
  let findings = 0;
  for (const [file, old] of Object.entries(before)) {
    const now = sorted[file];
    if (!now) {
      problems.push(`${file}: not inspected now`);
      continue;
    }
    if (old.error || now.error) {
      if (old.error !== now.error) problems.push(`${file}: error ${old.error ?? '-'} → ${now.error ?? '-'}`);
      continue;
    }
    for (const [check, outcome] of Object.entries(old.checks))
      if (now.checks[check] !== outcome)
        problems.push(`${file}: check ${check} ${outcome} → ${now.checks[check]}`);
    // Pair findings by id in time order; anything left over on either side is a difference.
    const ids = new Set([...old.findings, ...now.findings].map((f) => f.id));
    for (const id of ids) {
      const a = old.findings.filter((f) => f.id === id);
      const b = now.findings.filter((f) => f.id === id);
      if (a.length !== b.length) {
        problems.push(`${file}: ${id} ×${a.length} → ×${b.length}`);
        continue;
      }
      for (let i = 0; i < a.length; i++) {
        findings++;
        const x = a[i];
        const y = b[i];
        if (x.severity !== y.severity) problems.push(`${file}: ${id} ${x.severity} → ${y.severity}`);
        for (const key of ['at', 'end']) {
          if ((x[key] === undefined) !== (y[key] === undefined))
            problems.push(`${file}: ${id}.${key} ${x[key]} → ${y[key]}`);
          else if (x[key] !== undefined) {
            const d = Math.abs(x[key] - y[key]);
            if (d > WINDOW + 1e-9)
              problems.push(`${file}: ${id}.${key} ${x[key]} → ${y[key]} (Δ ${d.toFixed(3)} s)`);
            else if (d > 1e-6) shifts.push(d);
          }
        }
      }
    }
  }
  const maxShift = shifts.length ? Math.max(...shifts) : 0;
  process.stdout.write(
    `detection compare: ${Object.keys(before).length} recordings, ${findings} findings paired; ` +
      `${shifts.length} times moved (max ${maxShift.toFixed(3)} s, tolerance ${WINDOW} s); ` +
      `${problems.length} differences\n`,
  );
  for (const p of problems) process.stdout.write(`  ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}
