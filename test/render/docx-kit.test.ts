import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { afterAll, describe, expect, it } from 'vitest';
import { type CellSpec, CONTENT_WIDTH, docx, run, type TableSpec, table } from '../../src/render/docx-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-docx-kit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** word/document.xml of a DOCX package. */
function documentXml(bytes: Buffer, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return execFileSync('unzip', ['-p', path, 'word/document.xml']).toString('utf8');
}

const tableXml = (xml: string): string => xml.slice(xml.indexOf('<w:tbl>'), xml.lastIndexOf('</w:tbl>') + 8);

/** The same table built the way docx builds it from objects: what the string-built rows must equal. */
function referenceTable(spec: TableSpec): Table {
  const widths = spec.widths.map((f) => Math.round(f * spec.width));
  const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
  const cell = (
    c: string | CellSpec,
    width: number,
    defaults: { size?: number; bold?: boolean; shade?: string },
  ) => {
    const s: CellSpec = typeof c === 'string' ? { text: c } : c;
    const shade = s.shade ?? defaults.shade;
    const size = s.size ?? defaults.size;
    return new TableCell({
      width: { size: width, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.TOP,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      ...(shade ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: shade } } : {}),
      children: s.text.split('\n').map(
        (line) =>
          new Paragraph({
            children: [
              run(line, {
                ...(s.bold || defaults.bold ? { bold: true } : {}),
                ...(s.mono ? { mono: true } : {}),
                ...(size ? { size } : {}),
              }),
            ],
          }),
      ),
    });
  };
  const rows: TableRow[] = [];
  if (spec.header)
    rows.push(
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: spec.header.map((h, i) =>
          cell(h, widths[i]!, { bold: true, shade: 'E8EBEF', ...(spec.size ? { size: spec.size } : {}) }),
        ),
      }),
    );
  for (const r of spec.rows)
    rows.push(
      new TableRow({
        cantSplit: true,
        children: r.map((c, i) => cell(c, widths[i]!, spec.size ? { size: spec.size } : {})),
      }),
    );
  return new Table({
    rows,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: BORDER,
      bottom: BORDER,
      left: BORDER,
      right: BORDER,
      insideHorizontal: BORDER,
      insideVertical: BORDER,
    },
  });
}

describe('DOCX tables written as strings', () => {
  const spec: TableSpec = {
    widths: [0.2, 0.2, 0.45, 0.15],
    width: CONTENT_WIDTH.portrait,
    size: 18,
    header: ['时间', '说话人', '内容', '关键'],
    rows: [
      ['[00:00:01.000 – 00:00:02.500]', '甲／乙', '', '☐'],
      [
        { text: '00:00:08.840', mono: true },
        { text: '#3 警告', bold: true, shade: 'FFF4D6' },
        '⚠ <script>&"\'\u0001\u202e',
        '',
      ],
      ['two\nlines', { text: 'big', size: 24 }, 'a & b < c > d', 'x'],
    ],
  };

  it('are byte for byte what docx writes for the same cells', async () => {
    const ours = tableXml(
      documentXml(
        await docx({ lang: 'zh-CN', title: 't', creator: 'c', children: [table(spec)] }),
        'ours.docx',
      ),
    );
    const reference = new Document({ sections: [{ children: [referenceTable(spec)] }] });
    const theirs = tableXml(documentXml(await Packer.toBuffer(reference), 'theirs.docx'));
    expect(ours.length).toBeGreaterThan(1000);
    expect(ours).toBe(theirs);
  });

  it('leave no marker row behind and escape hostile text', async () => {
    const xml = documentXml(
      await docx({ lang: 'en', title: 't', creator: 'c', children: [table(spec), table(spec)] }),
      'two.docx',
    );
    expect(xml).not.toContain('table-rows-');
    expect(xml).toContain('&lt;script&gt;&amp;&quot;&apos;');
    expect(xml).not.toContain('\u0001');
    expect(xml.match(/<w:tbl>/g)).toHaveLength(2);
  });
});
