import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exemplarComparison } from '../../src/detectors/exemplar-comparison.js';
import { inspect } from '../../src/inspect.js';
import { exemplarRemark, exemplarSectionHtml } from '../../src/render/exemplar-section.js';
import { exemplarOf } from '../exemplar/support.js';
import { cli, fixture } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-exemplar-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inspected = async (file: string, exemplar?: string) =>
  inspect(fixture(file), {
    detectors: [exemplarComparison],
    ...(exemplar ? { exemplar: await exemplarOf(fixture(exemplar)) } : {}),
  });

describe('the exemplar section of the report', () => {
  it('is left out without --exemplar', async () => {
    const result = await inspected('originals/rec-a.mp3');
    expect(exemplarSectionHtml(result, 'zh-CN')).toBe('');
    expect(exemplarRemark(result, 'en')).toBe('');
  });

  it('shows every compared field side by side, differences first, meanings in the reader’s language', async () => {
    const result = await inspected('edited/splice-insert-default.mp3', 'originals/rec-a.mp3');
    const zh = exemplarSectionHtml(result, 'zh-CN');
    expect(zh).toContain('与样本录音比对');
    expect(zh).toContain('rec-a.mp3');
    const fields = [...zh.matchAll(/<td><span class="mono small">([^<]+)<\/span><\/td>/g)].map((m) => m[1]);
    const total = result.findings.find((f) => f.id === 'exemplar-compared')?.evidence?.['total'];
    expect(fields.length).toBe(total);
    const differing = result.exemplar?.differences.map((d) => d.field) ?? [];
    expect(differing.length).toBeGreaterThan(0);
    expect(new Set(fields.slice(0, differing.length))).toEqual(new Set(differing));
    expect(zh).toMatch(/LAME\/Info 标签不同/);
    const en = exemplarSectionHtml(result, 'en');
    expect(en).toContain('Comparison with exemplar recordings');
    expect(exemplarRemark(result, 'zh-CN')).toMatch(/已与 1 个样本录音比对：\d+ 处不一致/);
  });

  it('appears in the packed report, evidence list and transcript', async () => {
    const out = join(dir, 'bundle');
    const run = await cli([
      'pack',
      fixture('originals/rec-a.opus'),
      '--no-zip',
      '--out',
      out,
      '--lang',
      'zh-CN',
      '--exemplar',
      fixture('originals/rec-a.opus'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const texts = new Map<string, string>();
    const walk = (folder: string): void => {
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(html|md|csv|json|txt)$/.test(name)) texts.set(path, readFileSync(path, 'utf8'));
      }
    };
    walk(out);
    const find = (re: RegExp) => [...texts.entries()].filter(([, t]) => re.test(t)).map(([p]) => p);
    expect(find(/<h2 id="exemplar">与样本录音比对<\/h2>/).length).toBe(1);
    expect(find(/已与 1 个样本录音比对：结构一致/).some((p) => /list|transcript/.test(p))).toBe(true);
    const report = [...texts.entries()].find(([p]) => p.endsWith('inspection.json'))?.[1] ?? '{}';
    expect(JSON.parse(report).exemplar).toMatchObject({ matches: true, differences: [] });
  });
});
