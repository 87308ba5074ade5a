// The evidence list: CSV for Excel (BOM, RFC 4180, no formula injection) and a DOCX table, one row per recording.
import { describe, expect, it } from 'vitest';
import { renderDocuments } from '../../src/render/documents.js';
import { csvField } from '../../src/render/evidence-list.js';
import { formatTimestamp } from '../../src/render/time.js';
import { context, docxRows, edited, parseCsv, unzip } from './helpers.js';

const HEAD_ZH = [
  '序号',
  '证据名称',
  '证据来源',
  '证明对象',
  '页码',
  '原件/复印件',
  '备注',
  '原始文件名',
  '载体/设备',
  '时长',
];

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['=1+2', "'=1+2"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\r\nbreak', '"line\r\nbreak"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});

describe('evidence list', () => {
  it('writes one CSV row per recording, with a BOM and CRLF records', async () => {
    const a = await edited();
    const b = await edited((r) => {
      r.file.name = 'rec-b.wav';
      r.file.sha256 = 'b'.repeat(64);
    });
    const docs = await renderDocuments(context([a, b]));
    const csv = docs.find((d) => d.path === 'data/list/evidence-list.csv')!.content as string;
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]!.slice(0, HEAD_ZH.length)).toEqual(HEAD_ZH);
    expect(rows[0]!.slice(-2)).toEqual(['SHA-256', 'SM3']);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.length)).toEqual([13, 13, 13]);
    expect(rows[1]![0]).toBe('1');
    expect(rows[1]![7]).toBe('rec-a.m4a');
    expect(rows[1]![9]).toBe(formatTimestamp(a.timeline!.duration));
    expect(rows[1]![10]).toBe(String(a.file.size));
    expect(rows[1]![11]).toBe(a.file.sha256);
    expect(rows[1]![12]).toBe(a.file.sm3);
    expect(rows[2]![0]).toBe('2');
    expect(rows[2]![11]).toBe('b'.repeat(64));
    expect(rows[1]![6]).toContain('data/report/report-01.html');
    expect(rows[2]![6]).toContain('data/transcript/transcript-02.docx');
  });

  it('says that the SHA-256 is the value to compare (the list and the report)', async () => {
    const docs = await renderDocuments(context([await edited()]));
    const list = docs.find((d) => d.path.endsWith('.docx') && d.path.startsWith('data/list/'))!;
    const xml = (await unzip(list.content as Buffer)).get('word/document.xml')!.toString('utf8');
    expect(xml).toContain('本目录中的 SHA-256 即用于核对的值');
    const report = docs.find((d) => d.path.endsWith('.html') && d.path.startsWith('data/report/'))!;
    expect(String(report.content)).toContain('即应与已提交的证据目录中的值核对的值');
  });

  it('neutralises formulas from the user and the file', async () => {
    const result = await edited((r) => {
      r.file.name = '-2+3.m4a';
    });
    const ctx = context([result], { proves: '=HYPERLINK("http://evil.example","click")', submitter: '@cmd' });
    ctx.items[0]!.originalName = '-2+3.m4a';
    const csv = (await renderDocuments(ctx)).find((d) => d.path === 'data/list/evidence-list.csv')!
      .content as string;
    const row = parseCsv(csv.slice(1))[1]!;
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(row[3]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(row[2]).toBe("'@cmd提供");
    expect(row[7]).toBe("'-2+3.m4a");
  });

  it.each(['zh-CN', 'en'] as const)(
    'is a valid DOCX with a header row and one row per recording (%s)',
    async (lang) => {
      const a = await edited();
      const docs = await renderDocuments(context([a, a, a], { lang }));
      const docx = docs.find((d) => d.path === 'data/list/evidence-list.docx')!.content as Buffer;
      const rows = await docxRows(docx);
      expect(rows).toHaveLength(4);
      expect(rows[0]![0]).toBe(lang === 'zh-CN' ? '序号' : 'No.');
      expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
      for (const row of rows.slice(1)) {
        expect(row).toHaveLength(13);
        expect(row[11]).toBe(a.file.sha256);
        expect(row[12]).toBe(a.file.sm3);
      }
    },
  );
});
