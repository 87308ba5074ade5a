// Shared table helpers for the structure/duration/encoding detector tests: cached single-detector inspects
// over the fixture manifest and the shared device recordings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Detector } from '../../src/detectors/types.js';
import { type InspectOptions, inspect } from '../../src/inspect.js';
import type { Finding, InspectResult } from '../../src/types.js';
import { FIXTURES, fixture } from '../helpers.js';

interface ManifestEntry {
  file: string;
  kind: 'original' | 'edited';
  format: string;
  editClass?: string;
  way?: 'default' | 'careful';
  editAt?: number[];
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  fixtures: ManifestEntry[];
};

/** Every untouched original listed in the manifest (relative fixture paths). */
export const ORIGINALS = manifest.fixtures.filter((e) => e.kind === 'original').map((e) => e.file);

/** The manifest entry of an edited fixture. */
export function entry(file: string): ManifestEntry {
  const found = manifest.fixtures.find((e) => e.file === file);
  if (!found) throw new Error(`${file} is not in fixtures/manifest.json (run npm run fixtures)`);
  return found;
}

/** Inspects with one detector only, once per file per test file. */
export function detectorRunner(detector: Detector, options: InspectOptions = {}) {
  const cache = new Map<string, Promise<InspectResult>>();
  return (path: string): Promise<InspectResult> => {
    const full = path.startsWith('/') ? path : fixture(path);
    let result = cache.get(full);
    if (!result) {
      result = inspect(full, { ...options, detectors: [detector] });
      cache.set(full, result);
    }
    return result;
  };
}

export const serious = (result: InspectResult): Finding[] =>
  result.findings.filter((f) => f.severity === 'warning' || f.severity === 'critical');

/** Distance in seconds from t to a finding's [at, end]. */
export function distance(f: Finding, t: number): number {
  if (f.at === undefined) return Number.POSITIVE_INFINITY;
  const end = f.end ?? f.at;
  return t < f.at ? f.at - t : t > end ? t - end : 0;
}

/** Asserts a finding with this id and severity whose at..end lies within 1 s of `t`. */
export function expectFindingNear(
  result: InspectResult,
  id: string,
  severity: Finding['severity'],
  t: number,
): void {
  const ids = result.findings.map((f) => `${f.id}@${f.at ?? '-'}-${f.end ?? ''}`);
  const hit = result.findings.find((f) => f.id === id && f.severity === severity && distance(f, t) <= 1);
  expect(hit, `expected ${severity} ${id} near ${t} s; got ${ids.join(', ') || 'none'}`).toBeDefined();
}
