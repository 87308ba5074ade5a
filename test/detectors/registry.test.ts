import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../src/detectors/index.js';
import { ROOT } from '../helpers.js';

describe('detector registry', () => {
  const ids = DETECTORS.map((d) => d.meta.id);

  it('lists every detector once, sorted by id', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('registers every detector file in src/detectors', () => {
    const files = readdirSync(join(ROOT, 'src/detectors'))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...ids].sort());
  });

  // A detector without its own test file fails the build.
  it.each(ids)('%s has a test file', (id) => {
    expect(existsSync(join(ROOT, 'test/detectors', `${id}.test.ts`)), `test/detectors/${id}.test.ts`).toBe(
      true,
    );
  });

  it.each(DETECTORS.map((d) => [d.meta.id, d]))('%s has complete metadata', (_id, detector) => {
    const { meta } = detector as (typeof DETECTORS)[number];
    expect(meta.title.length).toBeGreaterThan(3);
    expect(meta.description.length).toBeGreaterThan(10);
    expect(['duration', 'encoding', 'structure', 'metadata', 'signal']).toContain(meta.category);
    expect(['originality', 'integrity']).toContain(meta.aspect);
  });
});
