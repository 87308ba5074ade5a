// renderDocuments: the set of files a bag receives, for one or several recordings, in both languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDocuments } from '../../src/render/documents.js';
import { fixture } from '../helpers.js';
import { context, edited } from './helpers.js';

/** Every key path of a JSON value, so both language files can be compared. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value))
    return [`${prefix}[${value.length}]`, ...value.flatMap((v) => keyPaths(v, `${prefix}[]`))];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
  return [];
}

describe('renderDocuments', () => {
  it('writes the report, three transcript forms, the declaration and the evidence list for one recording', async () => {
    const docs = await renderDocuments(context([await edited()]));
    expect(docs.map((d) => d.path).sort()).toEqual([
      'data/list/evidence-list.csv',
      'data/list/evidence-list.docx',
      'data/report/report.html',
      'data/transcript/declaration.docx',
      'data/transcript/declaration.md',
      'data/transcript/transcript.docx',
      'data/transcript/transcript.md',
      'data/transcript/transcript.vtt',
    ]);
    for (const d of docs) expect(d.content.length).toBeGreaterThan(100);
  });

  it('numbers per-recording files when the bag holds several', async () => {
    const long = await edited((r) => {
      r.media.tags = { comment: 'x'.repeat(5000) };
    });
    const ctx = context([await edited(), long], { lang: 'en' });
    ctx.items[1]!.inspectionPath = 'data/report/02-inspection.json';
    const docs = await renderDocuments(ctx);
    const paths = docs.map((d) => d.path);
    for (const n of ['01', '02'])
      for (const p of [
        `data/report/report-${n}.html`,
        `data/transcript/transcript-${n}.md`,
        `data/transcript/transcript-${n}.vtt`,
        `data/transcript/transcript-${n}.docx`,
      ])
        expect(paths).toContain(p);
    expect(paths.filter((p) => p.startsWith('data/list/'))).toEqual([
      'data/list/evidence-list.docx',
      'data/list/evidence-list.csv',
    ]);
    const second = docs.find((d) => d.path === 'data/report/report-02.html')!.content as string;
    expect(second).toContain('Evidence 2');
    expect(second).toContain('see data/report/02-inspection.json');
  });

  it('renders nothing for an empty bag', async () => {
    expect(await renderDocuments(context([]))).toEqual([]);
  });

  it('ships both languages with the same keys', () => {
    const read = (lang: string): unknown =>
      JSON.parse(readFileSync(fixture(`../templates/documents.${lang}.json`), 'utf8'));
    expect(keyPaths(read('zh-CN')).sort()).toEqual(keyPaths(read('en')).sort());
  });
});
