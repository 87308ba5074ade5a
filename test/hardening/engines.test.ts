// Every package the lock file installs supports the oldest Node our own `engines` allows (issue 13, case 15:
// docx 9.15 pulled nanoid 6, which wants Node 22, and a fresh `npm ci` warned EBADENGINE).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

type Version = [number, number, number];

function parse(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies one comparator ("^20.19.0", ">=18", "20", "20.x", "~1.2", "*"). */
function satisfiesOne(version: Version, comparator: string): boolean {
  const match = /^(\^|~|>=|<=|>|<|=)?\s*v?([\dx*.]+)$/.exec(comparator.trim());
  if (!match) throw new Error(`range not understood: ${comparator}`);
  const op = match[1] ?? '';
  const raw = match[2]!;
  const parts = raw.split('.').filter((p) => p !== '' && p !== 'x' && p !== '*');
  const low = parse(parts.join('.'));
  const given = parts.length;
  const bump = (at: number): Version => {
    const out: Version = [low[0], low[1], low[2]];
    out[at]! += 1;
    for (let i = at + 1; i < 3; i++) out[i] = 0;
    return out;
  };
  switch (op) {
    case '>=':
      return compare(version, low) >= 0;
    case '>':
      return compare(version, low) > 0;
    case '<=':
      return compare(version, low) <= 0;
    case '<':
      return compare(version, low) < 0;
    case '^': {
      const at = low[0] !== 0 || given < 2 ? 0 : low[1] !== 0 || given < 3 ? 1 : 2;
      return compare(version, low) >= 0 && compare(version, bump(at)) < 0;
    }
    case '~':
      return compare(version, low) >= 0 && compare(version, bump(given >= 2 ? 1 : 0)) < 0;
    default:
      // A bare or partial version ("20", "20.x", "1.2.3"): the versions it names.
      if (given === 0) return true;
      return compare(version, low) >= 0 && compare(version, bump(given - 1)) < 0;
  }
}

/** A node-semver range of comparator sets joined by `||` (spaces within a set mean "and"). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((set) => {
    const comparators = set
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return comparators.length === 0 || comparators.every((c) => satisfiesOne(v, c));
  });
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>;
};
/** The oldest Node our engines field allows. */
const OLDEST = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];

describe('satisfies (the small range check this test relies on)', () => {
  it.each([
    ['20.19.0', '>=20.19.0', true],
    ['20.19.0', '^22 || ^24 || >=26', false],
    ['20.19.0', '^18 || >=20', true],
    ['20.19.0', '18 || 20 || >=22', true],
    ['20.19.0', '^20.19.0 || >=22.12.0', true],
    ['20.19.0', '^20.0.0 || ^22.0.0 || >=24.0.0', true],
    ['20.19.0', '^10 || ^12 || >=14', true],
    ['20.19.0', '^12.22.0 || ^14.17.0 || >=16.0.0', true],
    ['20.19.0', '>= 8', true],
    ['20.19.0', '>=0.8.x', true],
    ['20.19.0', '^20.19.1', false],
    ['20.19.0', '>=21', false],
    ['20.19.0', '20.x', true],
    ['20.19.0', '>=18 <20', false],
  ])('%s in %s → %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });
});

describe('engines of installed packages', () => {
  it('package.json states its oldest Node as ">=x.y.z"', () => {
    expect(OLDEST).toBeDefined();
  });

  it('every package in package-lock.json supports that Node (no EBADENGINE on a fresh npm ci)', () => {
    const unsupported: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '') continue;
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range && !satisfies(OLDEST!, range)) unsupported.push(`${path} wants Node ${range}`);
    }
    expect(unsupported).toEqual([]);
  });
});
