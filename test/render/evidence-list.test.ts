// The evidence list: CSV for Excel (BOM, RFC 4180, no formula injection) and a DOCX table, one row per recording.
import { describe, expect, it } from 'vitest';
import { renderDocuments } from '../../src/render/documents.js';
import { csvField, shortHash } from '../../src/render/evidence-list.js';
import { formatTimestamp } from '../../src/render/time.js';
import {
  context,
  docxRows,
  edited,
  findAll,
  parseCsv,
  parseXml,
  textOf,
  unzip,
  type XmlNode,
} from './helpers.js';

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
    'is a valid portrait DOCX with the seven court columns and one row per recording (%s)',
    async (lang) => {
      const a = await edited();
      const docs = await renderDocuments(context([a, a, a], { lang }));
      const docx = docs.find((d) => d.path === 'data/list/evidence-list.docx')!.content as Buffer;
      const rows = await docxRows(docx);
      expect(rows).toHaveLength(4);
      expect(rows[0]).toEqual(
        lang === 'zh-CN'
          ? ['序号', '证据名称', '证据来源', '证明对象', '页码', '原件/复印件', '备注']
          : ['No.', 'Evidence name', 'Source', 'Facts to prove', 'Pages', 'Original / copy', 'Remarks'],
      );
      expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
      for (const [i, row] of rows.slice(1).entries()) {
        expect(row).toHaveLength(7);
        expect(row[1]).toContain('rec-a.m4a');
        // The hash in the table is short and points at its note; the note below holds all of it.
        expect(row[6]).toContain(`${a.file.sha256.slice(0, 8)}…${a.file.sha256.slice(-8)}`);
        expect(row[6]).not.toContain(a.file.sha256);
        expect(row[6]).toContain(lang === 'zh-CN' ? `注${i + 1}` : `note ${i + 1}`);
      }
      const xml = (await unzip(docx)).get('word/document.xml')!.toString('utf8');
      expect(xml.split(a.file.sha256)).toHaveLength(4);
      expect(xml.split(a.file.sm3)).toHaveLength(4);
      // A4 portrait: 11906 × 16838 twips, no landscape orientation.
      expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
      expect(xml).not.toContain('w:orient="landscape"');
    },
  );

  it('keeps the notes and the signature block with the last row, and numbers every page', async () => {
    const docs = await renderDocuments(context([await edited(), await edited()]));
    const files = await unzip(docs.find((d) => d.path === 'data/list/evidence-list.docx')!.content as Buffer);
    const doc = parseXml(files.get('word/document.xml')!.toString('utf8'));
    const rows = findAll(doc, 'w:tr');
    const keeps = (node: XmlNode) => findAll(node, 'w:p').every((p) => findAll(p, 'w:keepNext').length > 0);
    expect(keeps(rows[rows.length - 1]!)).toBe(true);
    expect(keeps(rows[1]!)).toBe(false);
    const body = findAll(doc, 'w:body')[0]!.children;
    const after = body.slice(body.findIndex((n) => n.name === 'w:tbl') + 1).filter((n) => n.name === 'w:p');
    // Two hash notes and the hash explanation keep with next; the signature is last.
    expect(after.slice(0, -1).map((p) => findAll(p, 'w:keepNext').length > 0)).toEqual([true, true, true]);
    expect(textOf(after[after.length - 1]!)).toMatch(/^提交人（签名或盖章）/);
    const footer = [...files.entries()].find(([name]) => /^word\/footer\d*\.xml$/.test(name));
    expect(footer).toBeDefined();
    const fields = footer![1].toString('utf8');
    expect(fields).toMatch(/PAGE/);
    expect(fields).toMatch(/NUMPAGES/);
    expect(fields).toContain('第 ');
  });

  it('addresses the court and names the party role; the verdict stays out of 备注 unless asked for', async () => {
    const result = await edited();
    const verdict = '文件结构中发现剪辑或损坏迹象';
    const plain = await renderDocuments(
      context([result], { court: '北京市朝阳区人民法院', partyRole: '原告' }),
    );
    const docx = plain.find((d) => d.path === 'data/list/evidence-list.docx')!.content as Buffer;
    const xml = (await unzip(docx)).get('word/document.xml')!.toString('utf8');
    expect(xml).toContain('致：北京市朝阳区人民法院');
    expect(xml).toContain('提交人（原告）：张三');
    expect(xml).toContain('提交人（原告）（签名或盖章）');
    expect(xml).not.toContain(verdict);
    const csv = parseCsv(
      (plain.find((d) => d.path === 'data/list/evidence-list.csv')!.content as string).slice(1),
    );
    expect(csv[1]![6]).not.toContain(verdict);
    expect(csv[1]![6]).toContain('data/report/report.html');

    const asked = await renderDocuments(context([result], { listVerdict: true }));
    const askedCsv = parseCsv(
      (asked.find((d) => d.path === 'data/list/evidence-list.csv')!.content as string).slice(1),
    );
    expect(askedCsv[1]![6]).toContain(verdict);
    const askedXml = (
      await unzip(asked.find((d) => d.path === 'data/list/evidence-list.docx')!.content as Buffer)
    )
      .get('word/document.xml')!
      .toString('utf8');
    expect(askedXml).toContain(verdict);
    // No court given: a blank to fill in by hand.
    expect(askedXml).toContain('致：＿＿＿＿＿＿人民法院');
  });

  it('gives each recording its own title and proves when the items carry them', async () => {
    const a = await edited();
    const ctx = context([a, a]);
    ctx.items[1]!.title = '第二次通话';
    ctx.items[1]!.proves = '被告承诺还款日期';
    const csv = (await renderDocuments(ctx)).find((d) => d.path === 'data/list/evidence-list.csv')!
      .content as string;
    const rows = parseCsv(csv.slice(1));
    expect(rows[1]![1]).toContain('借款催收通话录音');
    expect(rows[1]![3]).toBe('被告承认借款 5 万元');
    expect(rows[2]![1]).toContain('第二次通话');
    expect(rows[2]![3]).toBe('被告承诺还款日期');
  });

  it('shortens a hash to its first and last eight digits', () => {
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('01234567…89abcdef');
    expect(shortHash('abc')).toBe('abc');
  });
});
