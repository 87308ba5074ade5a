// Test helpers for the documents: a real inspect object with speech and findings, DOCX unpacking, CSV and XML parsing.
import { readFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { inspect } from '../../src/inspect.js';
import type { DocumentContext, DocumentItem } from '../../src/render/model.js';
import type { Finding, InspectResult } from '../../src/types.js';
import { fixture } from '../helpers.js';

/** Speech segments of master "a" (the complement of the pauses the fixture generator recorded). */
export function masterSpeech(): Array<[number, number]> {
  const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as {
    masters: { a: { pauses: Array<[number, number]> } };
  };
  const pauses = manifest.masters.a.pauses;
  const speech: Array<[number, number]> = [];
  for (let i = 0; i + 1 < pauses.length; i++) {
    const end = pauses[i]![1];
    const next = pauses[i + 1]![0];
    if (next > end) speech.push([end, next]);
  }
  return speech;
}

/** Findings placed like those of an edited file: a range, an instant, an info mark and one without a place. */
export const EDIT_FINDINGS: Finding[] = [
  {
    id: 'timestamp-gap',
    check: 'timestamp-gap',
    severity: 'critical',
    aspect: 'integrity',
    category: 'duration',
    title: 'Gap of 0.512 s in packet timestamps',
    detail: 'pts jumps from 12.288 to 12.800',
    at: 12.3,
    end: 12.8,
  },
  {
    id: 'digital-silence',
    check: 'digital-silence',
    severity: 'warning',
    aspect: 'integrity',
    category: 'signal',
    title: 'Digital silence inside speech',
    detail: '120 ms of exact zeros',
    at: 5.2,
  },
  {
    id: 'level-step',
    check: 'splice-discontinuity',
    severity: 'info',
    aspect: 'integrity',
    category: 'signal',
    title: 'Level step worth listening to',
    detail: 'step of 9 dB',
    at: 16.04,
  },
  {
    id: 'writer-lavf',
    check: 'writer-signature',
    severity: 'warning',
    aspect: 'originality',
    category: 'encoding',
    title: 'Written by FFmpeg (Lavf), not by a recorder app',
    detail: 'encoder tag Lavf61.7.100',
  },
];

let cached: Promise<InspectResult> | undefined;

/** The real inspect object of fixtures/originals/rec-a.m4a (computed once per test file). */
export function realInspection(): Promise<InspectResult> {
  cached ??= inspect(fixture('originals/rec-a.m4a'));
  return cached;
}

/** A deep copy of the real inspect object, with the edits the test wants (speech, findings, tags…). */
export async function edited(change: (r: InspectResult) => void = () => {}): Promise<InspectResult> {
  const copy = structuredClone(await realInspection());
  copy.timeline = {
    duration: copy.timeline?.duration ?? 20,
    peaks: copy.timeline?.peaks ?? [],
    speech: masterSpeech(),
  };
  copy.findings = structuredClone(EDIT_FINDINGS);
  copy.summary = { verdict: 'signs-of-editing', counts: { critical: 1, warning: 2, info: 1 } };
  change(copy);
  return copy;
}

export function context(items: InspectResult[], overrides: Partial<DocumentContext> = {}): DocumentContext {
  return {
    lang: 'zh-CN',
    caseId: '(2024)京0105民初12345号',
    title: '借款催收通话录音',
    submitter: '张三',
    proves: '被告承认借款 5 万元',
    packedAt: '2024-06-01T10:00:00+08:00',
    items: items.map(
      (inspection, i): DocumentItem => ({
        number: i + 1,
        inspection,
        bagPath: `data/original/${inspection.file.name}`,
        originalName: inspection.file.name,
      }),
    ),
    ...overrides,
  };
}

/** Every entry of a zip held in memory, by name. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    const known = ENTITIES[e];
    if (known === undefined) throw new Error(`unknown entity ${whole}`);
    return known;
  });
}

/**
 * A strict little XML parser (enough for WordprocessingML): balanced tags, known entities, no raw "<" or "&"
 * in text, no characters XML 1.0 forbids. Throws on anything malformed.
 */
export function parseXml(xml: string): XmlNode {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml))
    throw new Error('forbidden character');
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  const token =
    /<\?[^>]*\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length) {
    token.lastIndex = pos;
    match = token.exec(xml);
    if (!match) throw new Error(`malformed XML at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = token.lastIndex;
    const [, close, name, , selfClose, text] = match;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      if (/&(?!(#x[0-9a-f]+|#\d+|\w+);)/i.test(text)) throw new Error('bare & in text');
      top.text += decode(text);
    } else if (name && close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else if (name) {
      const node: XmlNode = { name, children: [], text: '' };
      top.children.push(node);
      if (!selfClose) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

export function findAll(node: XmlNode, name: string, out: XmlNode[] = []): XmlNode[] {
  for (const child of node.children) {
    if (child.name === name) out.push(child);
    findAll(child, name, out);
  }
  return out;
}

/** The visible text of a node (its w:t runs). */
export function textOf(node: XmlNode): string {
  return findAll(node, 'w:t')
    .map((t) => t.text)
    .join('');
}

/** Table rows of a .docx as arrays of cell texts (paragraphs in a cell joined by "\n"). */
export async function docxRows(buffer: Buffer): Promise<string[][]> {
  const entries = await unzip(buffer);
  if (!entries.has('[Content_Types].xml')) throw new Error('not an OPC package: no [Content_Types].xml');
  const xml = entries.get('word/document.xml');
  if (!xml) throw new Error('no word/document.xml');
  const doc = parseXml(xml.toString('utf8'));
  return findAll(doc, 'w:tr').map((tr) =>
    findAll(tr, 'w:tc').map((tc) => findAll(tc, 'w:p').map(textOf).join('\n')),
  );
}

/** RFC 4180 parser: quoted fields, doubled quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '"' || c === '\n' || c === '\r') throw new Error(`stray ${JSON.stringify(c)} at ${i}`);
    else field += c;
    i++;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last record has no CRLF');
  return rows;
}
