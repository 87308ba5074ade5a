// Small building blocks for the DOCX documents: A4 pages, CJK-aware fonts, headings and ruled tables.
import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Lang } from '../i18n/lang.js';
import { docText } from './text.js';

/** A4 in twips (portrait) and a 2 cm margin all round. */
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1134;
/** Distance of the page-number footer from the bottom edge (1 cm), inside the 2 cm margin. */
const FOOTER_MARGIN = 567;
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

const DOCUMENT_XML = 'word/document.xml';
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
  /** The last row stays on the page of the paragraph after the table (e.g. a signature block). */
  keepWithNext?: boolean;
}

/** The characters docx escapes in text and attribute values; the C0 controls XML 1.0 forbids are dropped. */
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '<': '&lt;',
  '>': '&gt;',
};
const escapeXml = (value: string): string =>
  value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (char) => XML_ESCAPES[char] ?? '');

const MONO_FONTS = `<w:rFonts w:ascii="${MONO.ascii}" w:cs="${MONO.cs}" w:eastAsia="${MONO.eastAsia}" w:hAnsi="${MONO.hAnsi}"/>`;
const CELL_MARGINS =
  '<w:tcMar><w:top w:type="dxa" w:w="40"/><w:left w:type="dxa" w:w="80"/><w:bottom w:type="dxa" w:w="40"/><w:right w:type="dxa" w:w="80"/></w:tcMar>';

/**
 * One table cell as WordprocessingML, byte for byte what docx writes for a TableCell with these options.
 * Written as a string because a transcript has a row per speech segment: as docx objects, 2 h of speech
 * took over 120 MB of live heap to serialise 3.7 MB of XML.
 */
function cellXml(
  spec: string | CellSpec,
  width: number,
  defaults: { size?: number; bold?: boolean; shade?: string; keepNext?: boolean },
): string {
  const s: CellSpec = typeof spec === 'string' ? { text: spec } : spec;
  const shade = s.shade ?? defaults.shade;
  const size = s.size ?? defaults.size;
  const props =
    (s.mono ? MONO_FONTS : '') +
    (s.bold || defaults.bold ? '<w:b/><w:bCs/>' : '') +
    (size ? `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` : '');
  const rPr = props ? `<w:rPr>${props}</w:rPr>` : '';
  // A line break in our own text (never in cleaned values) starts a new paragraph in the cell.
  const pPr = defaults.keepNext ? '<w:pPr><w:keepNext/></w:pPr>' : '';
  const paragraphs = s.text
    .split('\n')
    .map((line) => `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r></w:p>`)
    .join('');
  return (
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>` +
    (shade ? `<w:shd w:fill="${escapeXml(shade)}" w:color="auto" w:val="clear"/>` : '') +
    `${CELL_MARGINS}<w:vAlign w:val="top"/></w:tcPr>${paragraphs}</w:tc>`
  );
}

/** Rows never split across pages; the header row repeats on every page. */
function rowXml(cells: string[], header: boolean): string {
  return `<w:tr><w:trPr><w:cantSplit/>${header ? '<w:tblHeader/>' : ''}</w:trPr>${cells.join('')}</w:tr>`;
}

/** The rows of each table built by `table()`, keyed by the table, with the marker text that stands in for them. */
const TABLE_ROWS = new WeakMap<Table, { marker: string; xml: string }>();

/**
 * A ruled table with fixed column widths; the header row repeats on every page, rows never split. docx builds
 * the table's frame around a single marker row; `docx()` puts the rows' XML in its place.
 */
export function table(spec: TableSpec): Table {
  const widths = spec.widths.map((f) => Math.round(f * spec.width));
  const rows: string[] = [];
  if (spec.header)
    rows.push(
      rowXml(
        spec.header.map((h, i) =>
          cellXml(h, widths[i]!, { bold: true, shade: 'E8EBEF', ...(spec.size ? { size: spec.size } : {}) }),
        ),
        true,
      ),
    );
  spec.rows.forEach((r, at) => {
    // Word keeps a row whose paragraphs are "keep with next" on the page of what follows the table.
    const keepNext = spec.keepWithNext === true && at === spec.rows.length - 1;
    rows.push(
      rowXml(
        r.map((c, i) =>
          cellXml(c, widths[i]!, {
            ...(spec.size ? { size: spec.size } : {}),
            ...(keepNext ? { keepNext } : {}),
          }),
        ),
        false,
      ),
    );
  });
  // Random, so that no text of the recording's metadata elsewhere in the document can match it.
  const marker = `table-rows-${randomUUID()}`;
  const frame = new Table({
    rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph(marker)] })] })],
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
  TABLE_ROWS.set(frame, { marker, xml: rows.join('') });
  return frame;
}

/**
 * The text of one entry of the zip docx just wrote in memory, found by walking its local headers. docx
 * zips with the sizes known up front (no data descriptors), stored or deflated; anything else is refused.
 */
function readZipEntry(zip: Buffer, name: string): string {
  let at = 0;
  while (at + 30 <= zip.length && zip.readUInt32LE(at) === 0x04034b50) {
    const flags = zip.readUInt16LE(at + 6);
    const method = zip.readUInt16LE(at + 8);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
    if (flags & 0x08 || (method !== 0 && method !== 8)) break;
    if (zip.toString('utf8', at + 30, at + 30 + nameLength) === name) {
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at = start + size;
  }
  throw new Error(`${name} could not be read back from the generated document`);
}

/** The document's XML with each table's marker row replaced by the table's rows. */
function spliceRows(documentXml: string, tables: Array<{ marker: string; xml: string }>): string {
  let out = documentXml;
  for (const { marker, xml } of tables) {
    const at = out.indexOf(marker);
    const start = out.lastIndexOf('<w:tr>', at);
    const end = out.indexOf('</w:tr>', at);
    if (at < 0 || start < 0 || end < 0) throw new Error('table rows could not be placed in the document');
    out = out.slice(0, start) + xml + out.slice(end + '</w:tr>'.length);
  }
  return out;
}

/**
 * "第 1 页，共 3 页" as a centred footer paragraph: the page fields are filled in by Word and LibreOffice,
 * so every page of every document can be cited in the evidence list's 页码 column.
 */
function pageFooter(lang: Lang): Footer {
  const template = docText(lang).court.pageOf;
  const children: Array<string | (typeof PageNumber)[keyof typeof PageNumber]> = [];
  for (const part of template.split(/(\{page\}|\{pages\})/))
    if (part === '{page}') children.push(PageNumber.CURRENT);
    else if (part === '{pages}') children.push(PageNumber.TOTAL_PAGES);
    else if (part) children.push(part);
  return new Footer({
    children: [
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children, size: 18 })] }),
    ],
  });
}

/** Packs one section of content into a .docx file, with page numbers in the footer. */
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
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, footer: FOOTER_MARGIN },
          },
        },
        footers: { default: pageFooter(options.lang) },
        children: options.children,
      },
    ],
  });
  const tables = options.children.flatMap((child) => {
    const rows = child instanceof Table ? TABLE_ROWS.get(child) : undefined;
    return rows ? [rows] : [];
  });
  const framed = await Packer.toBuffer(document);
  if (tables.length === 0) return framed;
  const documentXml = spliceRows(readZipEntry(framed, DOCUMENT_XML), tables);
  return Packer.toBuffer(document, false, [{ path: DOCUMENT_XML, data: documentXml }]);
}
