// Transcript templates: WebVTT parses strictly and matches the segments, Markdown and DOCX show every flagged time.
import { describe, expect, it } from 'vitest';
import { renderDocuments } from '../../src/render/documents.js';
import type { BagDocument } from '../../src/render/model.js';
import { formatTimestamp } from '../../src/render/time.js';
import type { InspectResult } from '../../src/types.js';
import { context, docxRows, EDIT_FINDINGS, edited, masterSpeech } from './helpers.js';

interface Cue {
  id?: string;
  start: number;
  end: number;
  text: string[];
}

const TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

function seconds(stamp: string): number {
  const m = TIME.exec(stamp);
  if (!m) throw new Error(`bad timestamp ${stamp}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/** A strict WebVTT reader: header, NOTE blocks, cues with ordered timings and one-line-per-row payloads. */
function parseVtt(text: string): Cue[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (body.includes('\r')) throw new Error('use LF line ends');
  const blocks = body.split(/\n{2,}/);
  const header = blocks.shift()!;
  if (!/^WEBVTT(?:[ \t][^\n]*)?$/.test(header.split('\n')[0]!)) throw new Error('missing WEBVTT header');
  const cues: Cue[] = [];
  for (const block of blocks) {
    if (block.trim() === '') continue;
    const lines = block.split('\n');
    if (/^NOTE(?:[ \t]|$)/.test(lines[0]!)) {
      if (block.includes('-->')) throw new Error('"-->" inside a NOTE');
      continue;
    }
    let id: string | undefined;
    if (!lines[0]!.includes('-->')) id = lines.shift();
    const timing = lines.shift() ?? '';
    const m = /^(\S+) --> (\S+)(?: .*)?$/.exec(timing);
    if (!m) throw new Error(`bad timing line: ${timing}`);
    const start = seconds(m[1]!);
    const end = seconds(m[2]!);
    if (end <= start) throw new Error(`cue ends before it starts: ${timing}`);
    if (lines.length === 0) throw new Error('cue without text');
    for (const line of lines) {
      if (line.includes('-->')) throw new Error(`"-->" in cue text: ${line}`);
      if (/<(?!\/?(?:b|i|u|c|v|lang|ruby|rt)[\s.>])/.test(line))
        throw new Error(`raw "<" in cue text: ${line}`);
      if (/&(?!(?:amp|lt|gt|nbsp|lrm|rlm);)/.test(line)) throw new Error(`bare "&" in cue text: ${line}`);
    }
    const previous = cues[cues.length - 1];
    if (previous && start < previous.start) throw new Error('cues out of order');
    cues.push({ ...(id === undefined ? {} : { id }), start, end, text: lines });
  }
  return cues;
}

const byPath = (docs: BagDocument[], path: string): string | Buffer => {
  const doc = docs.find((d) => d.path === path);
  if (!doc) throw new Error(`no ${path} among ${docs.map((d) => d.path).join(', ')}`);
  return doc.content;
};
const str = (content: string | Buffer): string =>
  typeof content === 'string' ? content : content.toString('utf8');

const placed = EDIT_FINDINGS.filter((f) => f.at !== undefined);

describe('WebVTT transcript', () => {
  it.each(['zh-CN', 'en'] as const)(
    'parses, one cue per speech segment plus one per flagged moment (%s)',
    async (lang) => {
      const docs = await renderDocuments(context([await edited()], { lang }));
      const cues = parseVtt(str(byPath(docs, 'data/transcript/transcript.vtt')));
      const speech = masterSpeech();
      const segmentCues = cues.filter((c) => c.id?.startsWith('segment-'));
      expect(segmentCues.map((c) => [c.start, c.end])).toEqual(
        speech.map(([s, e]) => [seconds(formatTimestamp(s)), seconds(formatTimestamp(e))]),
      );
      const flagCues = cues.filter((c) => c.id?.startsWith('flag-'));
      expect(flagCues.map((c) => c.start).sort((a, b) => a - b)).toEqual(
        placed.map((f) => f.at).sort((a, b) => a! - b!),
      );
      for (const f of placed) {
        const cue = flagCues.find((c) => c.start === f.at)!;
        expect(cue.text.join(' ')).toContain(formatTimestamp(f.at!));
        expect(cue.text.join(' ')).toContain(f.title);
        if (f.end !== undefined) expect(cue.end).toBe(f.end);
      }
    },
  );

  it('escapes hostile finding titles and never lets "-->" into a cue', async () => {
    const result = await edited((r) => {
      r.findings[0]!.title = 'a --> b <c.evil>x</c> & y\n\nWEBVTT';
      r.file.name = 'evil --> name.m4a';
    });
    const vtt = str(byPath(await renderDocuments(context([result])), 'data/transcript/transcript.vtt'));
    const cues = parseVtt(vtt);
    const flag = cues.find((c) => c.start === 12.3)!;
    expect(flag.text).toHaveLength(1);
    expect(flag.text[0]).toContain('a --&gt; b &lt;c.evil&gt;x&lt;/c&gt; &amp; y WEBVTT');
  });

  it('falls back to 30-second blocks when no speech was detected', async () => {
    const result = await edited((r) => {
      r.timeline!.speech = [];
      r.timeline!.duration = 75;
    });
    const cues = parseVtt(
      str(byPath(await renderDocuments(context([result])), 'data/transcript/transcript.vtt')),
    );
    expect(cues.filter((c) => c.id?.startsWith('block-')).map((c) => [c.start, c.end])).toEqual([
      [0, 30],
      [30, 60],
      [60, 75],
    ]);
  });

  it('stays valid with neither speech nor a known length', async () => {
    const result = await edited((r) => {
      delete r.timeline;
      r.media.duration = {};
    });
    const docs = await renderDocuments(context([result], { lang: 'en' }));
    const cues = parseVtt(str(byPath(docs, 'data/transcript/transcript.vtt')));
    expect(cues.every((c) => c.id?.startsWith('flag-'))).toBe(true);
    expect(str(byPath(docs, 'data/transcript/transcript.md'))).toContain('no rows were prepared');
  });
});

describe('Markdown transcript', () => {
  it.each(['zh-CN', 'en'] as const)(
    'shows the time of every flagged finding, in time order with the segments (%s)',
    async (lang) => {
      const md = str(
        byPath(await renderDocuments(context([await edited()], { lang })), 'data/transcript/transcript.md'),
      );
      const rows = md.split('\n').filter((l) => /^\| \[\d/.test(l));
      const starts = rows.map((l) => seconds(/^\| \[([\d:.]+)/.exec(l)![1]!));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(rows.length).toBe(masterSpeech().length + placed.length);
      for (const f of placed) {
        const row = rows.find((l) => l.includes(`${formatTimestamp(f.at!)} `) && l.includes(f.title));
        expect(row, f.id).toBeDefined();
        expect(row).toMatch(f.severity === 'info' ? /ℹ/ : /⚠/);
      }
      expect(md).toContain(lang === 'zh-CN' ? '说话人甲' : 'Speaker A');
      expect(md).toContain(lang === 'zh-CN' ? '合法性' : 'lawfulness');
      expect(md).toContain(lang === 'zh-CN' ? '关键内容及时间节点' : 'Key moments');
    },
  );

  it('keeps hostile values as text', async () => {
    const result = await edited((r) => {
      r.findings[1]!.title = '<script>alert(1)</script> | [x](http://evil.example)';
    });
    const md = str(byPath(await renderDocuments(context([result])), 'data/transcript/transcript.md'));
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\> \\| \\[x\\](http://evil.example)');
  });
});

describe('DOCX transcript', () => {
  async function rows(result: InspectResult, lang: 'zh-CN' | 'en'): Promise<string[][]> {
    const content = byPath(
      await renderDocuments(context([result], { lang })),
      'data/transcript/transcript.docx',
    );
    expect(Buffer.isBuffer(content)).toBe(true);
    return docxRows(content as Buffer);
  }

  it.each(['zh-CN', 'en'] as const)(
    'is a valid package with one row per segment and per flagged moment (%s)',
    async (lang) => {
      const result = await edited();
      const table = await rows(result, lang);
      const timeRows = table.filter((cells) => /^\d{2}:\d{2}:\d{2}\.\d{3}/.test(cells[0] ?? ''));
      expect(timeRows.length).toBe(masterSpeech().length + placed.length);
      for (const [start, end] of masterSpeech())
        expect(timeRows.some((c) => c[0] === `${formatTimestamp(start)}\n– ${formatTimestamp(end)}`)).toBe(
          true,
        );
      for (const f of placed) {
        const row = timeRows.find((c) => c[0]!.startsWith(formatTimestamp(f.at!)) && c[2]!.includes(f.title));
        expect(row, f.id).toBeDefined();
        expect(row![2]).toContain(formatTimestamp(f.at!));
      }
      const header = table.find((c) => c[0] === 'SHA-256');
      expect(header?.[1]).toBe(result.file.sha256);
      expect(table.some((c) => c[0] === (lang === 'zh-CN' ? '说话人乙' : 'Speaker B'))).toBe(true);
    },
  );

  it('keeps hostile and control characters out of the XML', async () => {
    const result = await edited((r) => {
      r.findings[0]!.title = '<w:t>x</w:t> \u0000\u0007\ud800 & \u202Eevil';
      r.media.device = 'Phone <b>&amp;</b>';
    });
    const table = await rows(result, 'en');
    const flag = table.find((c) => c[2]?.includes('<w:t>x</w:t>'));
    expect(flag?.[2]).toContain('<w:t>x</w:t> \ufffd\ufffd\ufffd & \ufffdevil');
    expect(table.find((c) => c[0] === 'Device')?.[1]).toContain('Phone <b>&amp;</b>');
  });
});
