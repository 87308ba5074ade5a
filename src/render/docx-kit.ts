// Small building blocks for the DOCX documents: A4 pages, CJK-aware fonts, headings and ruled tables.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import type { Lang } from '../i18n/lang.js';

/** A4 in twips (portrait) and a 2 cm margin all round. */
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
export const CONTENT_WIDTH = { portrait: A4.width - 2 * MARGIN, landscape: A4.height - 2 * MARGIN };

/**
 * Latin text in a widely installed serif, Chinese in SimSun (宋体), the usual face of court filings; Word and
 * LibreOffice substitute an installed CJK face when SimSun is missing.
 */
const FONT = {
  ascii: 'Times New Roman',
  hAnsi: 'Times New Roman',
  cs: 'Times New Roman',
  eastAsia: 'SimSun',
};
const MONO = { ascii: 'Consolas', hAnsi: 'Consolas', cs: 'Consolas', eastAsia: 'SimSun' };

export interface RunStyle {
  bold?: boolean;
  mono?: boolean;
  size?: number;
  color?: string;
}

export function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({
    text,
    ...(style.bold ? { bold: true } : {}),
    ...(style.mono ? { font: MONO } : {}),
    ...(style.size ? { size: style.size } : {}),
    ...(style.color ? { color: style.color } : {}),
  });
}

export function para(
  content: string | TextRun[],
  options: { style?: RunStyle; keepNext?: boolean; center?: boolean; after?: number } = {},
): Paragraph {
  return new Paragraph({
    children: typeof content === 'string' ? [run(content, options.style)] : content,
    spacing: { after: options.after ?? 80 },
    ...(options.keepNext ? { keepNext: true } : {}),
    ...(options.center ? { alignment: AlignmentType.CENTER } : {}),
  });
}

export function title(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, { bold: true, size: 36 })],
    alignment: AlignmentType.CENTER,
    spacing: { after: 240 },
  });
}

export function heading(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, { bold: true, size: 26 })],
    keepNext: true,
    spacing: { before: 240, after: 100 },
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };

export interface CellSpec {
  text: string;
  bold?: boolean;
  mono?: boolean;
  shade?: string;
  size?: number;
}

export interface TableSpec {
  /** Column widths as fractions of the content width. */
  widths: number[];
  header?: string[];
  rows: Array<Array<string | CellSpec>>;
  /** Content width of the page the table sits on. */
  width: number;
  /** Font size (half-points) of the body cells. */
  size?: number;
}

function cell(
  spec: string | CellSpec,
  width: number,
  defaults: { size?: number; bold?: boolean; shade?: string },
) {
  const s: CellSpec = typeof spec === 'string' ? { text: spec } : spec;
  const shade = s.shade ?? defaults.shade;
  const size = s.size ?? defaults.size;
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.TOP,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    ...(shade ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: shade } } : {}),
    // A line break in our own text (never in cleaned values) starts a new paragraph in the cell.
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
}

/** A ruled table with fixed column widths; the header row repeats on every page, rows never split. */
export function table(spec: TableSpec): Table {
  const widths = spec.widths.map((f) => Math.round(f * spec.width));
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

/** Packs one section of content into a .docx file. */
export async function docx(options: {
  lang: Lang;
  title: string;
  creator: string;
  landscape?: boolean;
  children: Array<Paragraph | Table>;
}): Promise<Buffer> {
  // Latin runs stay English even in Chinese documents: marked as Chinese, LibreOffice breaks Latin words
  // (finding titles, file names) at any letter. Chinese documents hint East Asian so “quotes” take the CJK face.
  const language = { value: 'en-US', eastAsia: 'zh-CN' };
  const font = options.lang === 'zh-CN' ? { ...FONT, hint: 'eastAsia' } : FONT;
  const document = new Document({
    title: options.title,
    creator: options.creator,
    styles: {
      default: {
        document: {
          run: { font, size: 21, language },
          paragraph: { spacing: { line: 300 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: {
              width: A4.width,
              height: A4.height,
              orientation: options.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        children: options.children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
