// The HTML report: self-contained (no network), hostile values shown as text, findings on the waveform, both languages.
import { describe, expect, it } from 'vitest';
import { renderDocuments } from '../../src/render/documents.js';
import type { BagDocument } from '../../src/render/model.js';
import { formatTimestamp } from '../../src/render/time.js';
import type { InspectResult } from '../../src/types.js';
import { context, EDIT_FINDINGS, edited } from './helpers.js';

async function report(result: InspectResult, lang: 'zh-CN' | 'en' = 'zh-CN', name?: string): Promise<string> {
  const ctx = context([result], { lang });
  if (name) {
    ctx.items[0]!.originalName = name;
    ctx.items[0]!.bagPath = 'data/original/evil.m4a';
  }
  const docs: BagDocument[] = await renderDocuments(ctx);
  const html = docs.find((d) => d.path === 'data/report/report.html')?.content;
  if (typeof html !== 'string') throw new Error('no report');
  return html;
}

/**
 * Every way an HTML file could reach the network: URLs in attributes, @import or url() in style sheets
 * and style attributes, and elements that load or run things. Text between tags is escaped and inert.
 */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  const network = /(?:https?:)?\/\/|@import|url\(/i;
  for (const style of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi))
    if (/@import|url\(/i.test(style[1]!))
      found.push(`style sheet: ${/@import|url\([^)]*\)/i.exec(style[1]!)![0]}`);
  for (const element of html.matchAll(
    /<([a-z][\w-]*)((?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi,
  )) {
    const [, name, attrs] = element;
    if (/^(?:script|iframe|object|embed|link|img|base|form|audio|video|source)$/i.test(name!))
      found.push(`<${name}>`);
    for (const attr of attrs!.matchAll(/([^\s=>]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const [, key, value] = attr;
      if (
        /^(?:src|href|action|formaction|poster|data|srcset|xlink:href|style|background)$/i.test(key!) &&
        network.test(value!)
      )
        found.push(`${key}=${value}`);
      if (/^on/i.test(key!)) found.push(`${key}=`);
    }
  }
  return found;
}

const HOSTILE = '<script>alert(1)</script>';

describe('externalReferences, the detector of this test', () => {
  it.each([
    '<img src="x.png">',
    '<a href="https://evil.example">x</a>',
    '<div style="background:url(//evil.example/x.png)">',
    '<style>@import "x.css";</style>',
    '<style>p { background: url(data:x) }</style>',
    '<p onclick="x()">',
  ])('flags %s', (html) => {
    expect(externalReferences(html)).not.toEqual([]);
  });

  it('ignores escaped text', () => {
    expect(externalReferences('<p>&lt;img src=&quot;https://x&quot;&gt; @import url(https://x)</p>')).toEqual(
      [],
    );
  });
});

describe('HTML report', () => {
  it.each(['zh-CN', 'en'] as const)('is self-contained and lists every section (%s)', async (lang) => {
    const result = await edited();
    const html = await report(result, lang);
    expect(externalReferences(html)).toEqual([]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('Noto Sans CJK SC');
    expect(html).toContain(result.file.sha256);
    expect(html).toContain(result.file.sm3);
    const words =
      lang === 'zh-CN'
        ? ['原始性', '完整性', '第九十三条', '无法评估', '如何核验本证据包', '提交人需说明']
        : [
            'Originality',
            'Integrity',
            'Article 93',
            'not assessable',
            'How to verify this bundle',
            'submitter must state',
          ];
    for (const word of words) expect(html).toContain(word);
    for (const check of result.checks) expect(html).toContain(check.id);
    for (const f of EDIT_FINDINGS) {
      expect(html).toContain(f.title);
      if (f.at !== undefined) expect(html).toContain(formatTimestamp(f.at));
    }
  });

  it.each([
    ['zh-CN', '本工具各项检查未发现剪辑迹象'],
    ['en', 'No signs of editing were found by these checks'],
  ] as const)(
    'words a clean result as "no signs found by these checks", never as authentic (%s)',
    async (lang, title) => {
      const clean = await edited((r) => {
        r.findings = [];
        r.summary = { verdict: 'no-signs-found', counts: { critical: 0, warning: 0, info: 0 } };
      });
      const html = await report(clean, lang);
      const verdict = /<div class="verdict no-signs-found"><strong>([^<]*)<\/strong>([^<]*)<\/div>/.exec(
        html,
      );
      expect(verdict?.[1]).toBe(title);
      expect(verdict?.[2]).toMatch(
        lang === 'zh-CN' ? /并不证明录音真实/ : /does not prove that the recording is authentic/,
      );
      expect(verdict?.[1]).not.toMatch(/authentic|真实/i);
    },
  );

  it('draws the waveform with a numbered marker per placed finding and a labelled time axis', async () => {
    const html = await report(await edited(), 'en');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('<polygon');
    const numbers = [...svg.matchAll(/<circle[^>]*fill="(#[0-9a-f]{6})"><title>#(\d+) ([^<]*)<\/title>/g)];
    // Originality first (the unplaced writer finding is #1), then integrity in inspect order.
    expect(numbers.map((m) => [m[2], m[3]]).sort()).toEqual([
      ['2', 'Gap of 0.512 s in packet timestamps'],
      ['3', 'Digital silence inside speech'],
      ['4', 'Level step worth listening to'],
    ]);
    expect(numbers.find((m) => m[2] === '2')?.[1]).toBe('#c62828');
    expect(svg).toMatch(/<rect[^>]*fill="#c62828" fill-opacity/);
    for (const tick of ['00:00', '00:10', '00:20']) expect(svg).toContain(`>${tick}</text>`);
  });

  it('keeps the three strongest minor marks in the findings and on the waveform, the rest in an appendix', async () => {
    // Eight "listen here" marks at 1 s … 8 s; the mark at 3 s is the strongest, the one at 6 s a strong one.
    const marks = Array.from({ length: 8 }, (_, i) => ({
      id: 'splice-candidate',
      check: 'splice-discontinuity',
      severity: 'info' as const,
      aspect: 'integrity' as const,
      category: 'signal' as const,
      title: `Mark ${i + 1}`,
      detail: 'listen here',
      at: i + 1,
      evidence: { fluxZ: i === 2 ? 40 : 10 + i, ...(i === 5 ? { strong: true } : {}) },
    }));
    const result = await edited((r) => {
      r.findings = [...r.findings, ...marks];
    });
    const html = await report(result, 'en');
    const findings = html.slice(html.indexOf('4. Findings'), html.indexOf('5. '));
    const appendix = html.slice(html.indexOf('Appendix: further minor marks'));
    // Strongest first: the strong mark at 6 s, then 3 s (fluxZ 40), then 8 s (fluxZ 17).
    for (const shown of ['Mark 6', 'Mark 3', 'Mark 8']) {
      expect(findings).toContain(shown);
      expect(appendix).not.toContain(`>${shown}<`);
    }
    const rest = ['Mark 1', 'Mark 2', 'Mark 4', 'Mark 5', 'Mark 7'];
    for (const hidden of rest) expect(findings).not.toContain(`>${hidden}<`);
    // The appendix lists the rest in time order.
    const order = rest.map((m) => appendix.indexOf(`>${m}<`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The five weaker marks and the fixture's own weak level step.
    expect(findings).toContain('6 more &quot;info&quot; marks are not listed here');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const labelled = [...svg.matchAll(/<circle[^>]*><title>#\d+ ([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(labelled.filter((t) => t?.startsWith('Mark')).sort()).toEqual(['Mark 3', 'Mark 6', 'Mark 8']);
    // Every minor mark is still on the timeline, as a hairline with its title.
    for (const hidden of rest)
      expect(svg).toMatch(new RegExp(`stroke-width="0.8"[^>]*><title>#\\d+ ${hidden}<`));
  });

  it('puts the summary, then the waveform, before the file facts and findings (page 1 at a glance)', async () => {
    const html = await report(await edited());
    const at = (text: string) => html.indexOf(text);
    expect(at('1. 结论摘要')).toBeGreaterThan(0);
    expect(at('1. 结论摘要')).toBeLessThan(at('2. 波形与时间轴'));
    expect(at('2. 波形与时间轴')).toBeLessThan(at('<svg'));
    expect(at('<svg')).toBeLessThan(at('3. 文件信息与哈希值'));
    expect(at('3. 文件信息与哈希值')).toBeLessThan(at('4. 检查发现'));
    // The player's notes are for the screen only.
    expect(html).toMatch(/@media print \{[^}]*\.listen[^}]*display: none/);
  });

  it.each([
    ['zh-CN', '"第 " counter(page) " 页，共 " counter(pages) " 页"'],
    ['en', '"Page " counter(page) " of " counter(pages)'],
  ] as const)('numbers the printed pages (%s)', async (lang, content) => {
    const html = await report(await edited(), lang);
    expect(html).toContain(`@bottom-center { content: ${content};`);
  });

  it('names the findings an inconsistent check rests on', async () => {
    const result = await edited((r) => {
      r.checks = [
        { id: 'timestamp-gap', outcome: 'inconsistent', note: '40 packets of 0.02 s; 0 gap(s)/overlap(s)' },
        { id: 'digital-silence', outcome: 'consistent' },
      ];
      for (const f of r.findings) if (f.id === 'timestamp-gap') f.check = 'timestamp-gap';
    });
    const html = await report(result, 'en');
    const checks = html.slice(html.indexOf('5. '), html.indexOf('6. '));
    const rows = checks.split('<tr>');
    const gap = rows.find((row) => row.includes('timestamp-gap'))!;
    // Finding #2 (the timestamp gap) is what makes the check inconsistent, whatever its packet note says.
    expect(gap).toContain('Inconsistent because of finding(s) 2');
    expect(rows.find((row) => row.includes('digital-silence'))).not.toContain('Inconsistent because');
  });

  it('escapes hostile tags, names and finding text, and neutralises bidi and control characters', async () => {
    const result = await edited((r) => {
      r.media.tags = {
        title: HOSTILE,
        [`<img src=x onerror=alert(2)>`]: 'key',
        comment: '</td></tr></table><iframe src="https://evil.example/"></iframe>',
        artist: 'abc\u202Edcba\u2066x\u2069',
        ctrl: 'a\u0000b\u001b[31mc',
        huge: 'A'.repeat(2_000_000),
        nested: { deep: [HOSTILE] },
      };
      r.media.device = '<style>@import url(https://evil.example/x.css)</style>';
      r.findings[0]!.title = HOSTILE;
      r.findings[0]!.detail = '<a href="https://evil.example">click</a>';
      r.checks[0]!.note = `${HOSTILE} url(http://evil.example)`;
      r.warnings = [{ stage: 'probe', message: HOSTILE }];
    });
    const html = await report(result, 'zh-CN', `${HOSTILE}\u202Egnp.m4a`);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<iframe|<img|<style>@import|<a href/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/);
    expect(html).toContain('abc\ufffddcba\ufffdx\ufffd');
    expect(html.length).toBeLessThan(200_000);
    expect(html).toMatch(/AAAA……（另有 \d+ 个字符未显示，详见 data\/report\/inspection\.json）/);
  });

  it('says so when there is no waveform to draw', async () => {
    const result = await edited((r) => {
      delete r.timeline;
    });
    const html = await report(result, 'en');
    expect(html).not.toContain('<svg');
    expect(html).toContain('No waveform');
  });
});
