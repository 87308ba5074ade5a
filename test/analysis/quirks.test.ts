// The writer-quirk table: the built-in one loads and names only known writers; bad user tables are usage errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuirks } from '../../src/analysis/quirks.js';
import { loadSignatures } from '../../src/analysis/signatures.js';
import { AudioEvidenceError } from '../../src/errors.js';

describe('loadQuirks', () => {
  it('loads the built-in table, whose writers are all in the signature table', () => {
    const table = loadQuirks();
    const ids = new Set(loadSignatures().signatures.map((s) => s.id));
    expect(table.quirks.length).toBeGreaterThanOrEqual(4);
    for (const q of table.quirks) {
      for (const w of q.writers) expect(ids.has(w), `${q.id}: ${w}`).toBe(true);
      expect(q.explainZh, q.id).toMatch(/\p{Script=Han}/u);
    }
  });

  it('rejects a user table with a bad entry, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-quirks-'));
    const file = join(dir, 'q.json');
    writeFileSync(
      file,
      JSON.stringify({ quirks: [{ id: 'x', writers: [], findings: ['a'], explain: 'y' }] }),
    );
    expect(() => loadQuirks([file])).toThrow(AudioEvidenceError);
    expect(() => loadQuirks([file])).toThrow(/quirk #1: "writers"/);
    writeFileSync(
      file,
      JSON.stringify({
        quirks: [{ id: 'x', writers: ['a'], findings: ['a'], explain: 'y', evidence: { k: '(' } }],
      }),
    );
    expect(() => loadQuirks([file])).toThrow(/regular expression/);
  });

  it('lets a user entry replace a built-in one with the same id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ae-quirks-'));
    const file = join(dir, 'q.json');
    const builtin = JSON.parse(
      readFileSync(new URL('../../templates/writer-quirks.json', import.meta.url), 'utf8'),
    );
    const first = builtin.quirks[0];
    writeFileSync(file, JSON.stringify({ quirks: [{ ...first, explain: 'mine' }] }));
    const table = loadQuirks([file]);
    expect(table.quirks.filter((q) => q.id === first.id)).toEqual([
      expect.objectContaining({ explain: 'mine' }),
    ]);
  });
});
