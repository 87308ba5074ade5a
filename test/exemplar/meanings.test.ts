import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldMeaning } from '../../src/exemplar/meanings.js';
import { FIXTURES, HAS_SAMPLES, samples } from '../helpers.js';
import { profiled } from './support.js';

describe('field meanings', () => {
  it('word every field a profile holds, in both languages, more precisely than the fallback', async () => {
    const paths = [
      ...readdirSync(`${FIXTURES}/originals`).map((n) => `${FIXTURES}/originals/${n}`),
      ...(HAS_SAMPLES ? samples('genuine').filter((p) => !p.endsWith('.tsv')) : []),
    ];
    const fields = new Set<string>();
    for (const path of paths)
      for (const field of Object.keys((await profiled(path)).profile.fields)) fields.add(field);
    expect(fields.size).toBeGreaterThan(40);
    for (const field of fields) {
      expect(fieldMeaning(field, 'en'), field).not.toBe('a structure field differs');
      expect(fieldMeaning(field, 'zh-CN'), field).toMatch(/\p{Script=Han}/u);
      expect(fieldMeaning(field, 'zh-CN'), field).not.toBe('结构字段不同');
    }
  });
});
