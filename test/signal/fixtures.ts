// Shared table helpers for the signal detector tests: single-detector inspects of fixtures and device samples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Detector } from '../../src/detectors/types.js';
import { inspect } from '../../src/inspect.js';
import type { Finding, InspectResult } from '../../src/types.js';
import { FIXTURES, fixture } from '../helpers.js';

interface Entry {
  file: string;
  kind: 'original' | 'edited';
  editAt?: number[];
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { fixtures: Entry[] };

/** The untouched originals (relative fixture paths). */
export const ORIGINALS = manifest.fixtures.filter((e) => e.kind === 'original').map((e) => e.file);

/** Edit times of an edited fixture, from the manifest. */
export function editAt(file: string): number[] {
  const found = manifest.fixtures.find((e) => e.file === file);
  if (!found) throw new Error(`${file} is not in fixtures/manifest.json (run npm run fixtures)`);
  return found.editAt ?? [];
}

/** Inspects with one detector only (cached per path within a test file). */
export function runner(detector: Detector): (path: string) => Promise<InspectResult> {
  const cache = new Map<string, Promise<InspectResult>>();
  return (path) => {
    const full = path.startsWith('/') ? path : fixture(path);
    let result = cache.get(full);
    if (!result) {
      result = inspect(full, { detectors: [detector] });
      cache.set(full, result);
    }
    return result;
  };
}

/** Findings an examiner must look at (warning or critical). */
export const serious = (result: InspectResult): Finding[] =>
  result.findings.filter((f) => f.severity === 'warning' || f.severity === 'critical');

/** Distance (s) from t to a finding's [at, end]. */
function distance(f: Finding, t: number): number {
  if (f.at === undefined) return Number.POSITIVE_INFINITY;
  const end = f.end ?? f.at;
  return t < f.at ? f.at - t : t > end ? t - end : 0;
}

/** Asserts a finding with this id and severity lies within `within` seconds of `t`. */
export function expectNear(
  result: InspectResult,
  id: string,
  severity: Finding['severity'],
  t: number,
  within = 1,
): Finding {
  const hits = result.findings.filter((f) => f.id === id && f.severity === severity);
  const best = Math.min(...hits.map((f) => distance(f, t)));
  expect(
    best,
    `${id} (${severity}) near ${t} s in ${JSON.stringify(result.findings.map((f) => [f.id, f.severity, f.at, f.end]))}`,
  ).toBeLessThanOrEqual(within);
  return hits.find((f) => distance(f, t) === best)!;
}
