// Hostile metadata: real recordings made by the bundled ffmpeg whose tags (and name, and pack options)
// hold markup, script, right-to-left overrides, control characters, NUL, line breaks, spreadsheet
// formulas and a megabyte-long title. Every document in the bag stays inert, one-line where it must,
// bounded, and the bag still checks with sha256sum, unzip and verify.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_COLUMNS } from '../../src/render/evidence-list.js';
import type { InspectResult } from '../../src/types.js';
import { HAS_PYTHON, HAS_SHA256SUM, HAS_UNZIP, runTool, tempDir, walk } from '../bundle/support.js';
import { cli } from '../helpers.js';
import { contractProblems, FFMPEG, readZip, STACK_LINE } from './support.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const RLO = '\u202eexe.gnp';
const CONTROL = 'bell\u0007 esc\u001b[2J del\u007f c1\u0085 vt\u000b';
/** Replaced by NUL in the written file (argv cannot carry NUL); same length, so no size field changes. */
const NUL_MARK = '~NUL~';
const FORMULA = '=HYPERLINK("http://evil.example/","click")';
const LINES = 'line1\r\nline2\nline3\rline4';
const CUE = '00:00:00.000 --> 00:00:09.000 injected cue';
const MEGA = 'T'.repeat(1 << 20);

/** The pack options are hostile too (in-process, so they may even hold NUL). */
const OPTIONS = [
  '--case',
  '-2+3 <i>case</i>',
  '--title',
  `${FORMULA}\r\nsecond line ${RLO}`,
  '--submitter',
  `@evil ${SCRIPT}`,
  '--proves',
  `+1 ${IMG} nul\u0000 ${LINES}`,
];

/** Every control character but tab and line feed, NUL included, and the bidi overrides/isolates. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Markup that would be live in HTML, Markdown or a WebVTT cue. */
const LIVE_MARKUP = /<\s*(script|img|iframe|object|embed|svg[^>]*onload|a\s|link|style[^>]*>\s*@import)/i;
const EVENT_ATTRIBUTE = /<[a-z][^>]*\son[a-z]+\s*=/i;

const FORMATS = ['m4a', 'mp3', 'flac', 'wav', 'opus'] as const;
const NAME = `<b onmouseover=alert(1)>bold =SUM(1) "q" 录音 ${RLO}`;

/** Re-seals every Ogg page after bytes inside were replaced (the page CRC covers them). */
async function resealOgg(bytes: Buffer): Promise<void> {
  const { crc32Ogg } = await import('../../src/formats/crc.js');
  let page = bytes.indexOf('OggS', 0, 'latin1');
  while (page >= 0 && page + 27 <= bytes.length) {
    const segments = bytes[page + 26]!;
    let length = 27 + segments;
    for (let i = 0; i < segments; i++) length += bytes[page + 27 + i]!;
    bytes.writeUInt32LE(0, page + 22);
    bytes.writeUInt32LE(crc32Ogg(bytes, page, page + length), page + 22);
    page = bytes.indexOf('OggS', page + length, 'latin1');
  }
}

/** A 4-second recording with hostile tags, made by the bundled ffmpeg. */
async function makeHostile(dir: string, ext: (typeof FORMATS)[number]): Promise<string> {
  // A megabyte does not fit one argv string (Linux caps each at 128 KiB): the title comes from an
  // FFMETADATA file, the rest from -metadata as a user's tool would write them.
  const meta = join(dir, `meta-${ext}.txt`);
  const ffmetadataEscape = (v: string) => v.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
  writeFileSync(meta, `;FFMETADATA1\ntitle=${ffmetadataEscape(`${SCRIPT} ${RLO} ${MEGA}`)}\n`);
  const path = join(dir, `${NAME}.${ext}`);
  const made = spawnSync(FFMPEG, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=4',
    '-i',
    meta,
    '-map',
    '0',
    '-map_metadata',
    '1',
    ...['-metadata', `artist=${IMG} ${CONTROL} ${NUL_MARK}`],
    ...['-metadata', `comment=${FORMULA}`],
    ...['-metadata', `album=${LINES} ${CUE}`],
    ...['-metadata', `genre=+cmd|' /C calc'!A0`],
    ...['-metadata', `composer=@SUM(1+1)*cmd|' /C calc'!A0`],
    ...(ext === 'opus' ? ['-c:a', 'libopus'] : []),
    path,
  ]);
  expect(made.status, made.stderr.toString()).toBe(0);
  const bytes = readFileSync(path);
  const at = bytes.indexOf(NUL_MARK, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  bytes[at] = 0;
  bytes[at + NUL_MARK.length - 1] = 0;
  if (ext === 'opus') await resealOgg(bytes);
  writeFileSync(path, bytes);
  return path;
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/**
 * Parts that are not well-formed XML, by Python's expat (which also rejects the control characters
 * XML 1.0 does not allow). One Python run for all of them.
 */
function xmlProblems(dir: string, parts: Map<string, Buffer>): string[] {
  const xml = [...parts.keys()].filter((name) => name.endsWith('.xml') || name.endsWith('.rels'));
  const files = xml.map((name, i) => {
    const path = join(dir, `${i}.xml`);
    writeFileSync(path, parts.get(name)!);
    return path;
  });
  const script = [
    'import sys, xml.dom.minidom',
    'for i, p in enumerate(sys.argv[1:]):',
    '    try: xml.dom.minidom.parse(p)',
    '    except Exception as e: print(i, e)',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script, ...files], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^\d+/, (i) => xml[Number(i)] ?? i));
}

const text = (entries: Map<string, Buffer>, path: string): string => {
  const data = entries.get(path);
  if (!data) throw new Error(`${path} missing from the bag: ${[...entries.keys()].join(', ')}`);
  return data.toString('utf8');
};

describe.skipIf(!HAS_UNZIP || !HAS_SHA256SUM || !HAS_PYTHON)('hostile metadata in every document', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('ae-hostile-');
  });

  it('the XML check rejects a control character and an unclosed tag (so it is not vacuous)', () => {
    const partsDir = join(dir, 'xml-self-check');
    mkdirSync(partsDir);
    const parts = new Map([
      ['ok.xml', Buffer.from('<a>fine &amp; well</a>')],
      ['control.xml', Buffer.from('<a>bell \u0007</a>')],
      ['open.xml', Buffer.from('<a><b></a>')],
    ]);
    expect(xmlProblems(partsDir, parts).map((line) => line.split(' ')[0])).toEqual([
      'control.xml',
      'open.xml',
    ]);
  });

  it.each(FORMATS)('%s', { timeout: 120_000 }, async (ext) => {
    const source = await makeHostile(join(dir), ext);
    const out = join(dir, `out-${ext}`);
    // Chinese documents for one format, English for the rest.
    const env = { LANG: ext === 'mp3' ? 'zh_CN.UTF-8' : 'en_US.UTF-8' };

    const summary = await cli(['inspect', '--', source], env);
    expect(summary.code).toBe(0);
    expect(summary.stdout).not.toMatch(UNSAFE);
    const inspected = await cli(['inspect', '--json', '--', source], env);
    const inspection = JSON.parse(inspected.stdout) as InspectResult;
    expect(contractProblems(inspection)).toEqual([]);
    const title = Object.entries(inspection.media.tags).find(([k]) => /title$/i.test(k))?.[1];
    expect(String(title).startsWith(SCRIPT)).toBe(true);
    // The tag itself is kept in the JSON, shortened (JSON escapes every control character itself).
    for (const value of Object.values(inspection.media.tags))
      expect(JSON.stringify(value).length).toBeLessThan(10_000);

    const packed = await cli(['pack', '--out', out, ...OPTIONS, '--', source], env);
    expect(packed.stderr).not.toMatch(STACK_LINE);
    expect(packed.code, packed.stderr).toBe(0);
    expect(packed.stderr).not.toMatch(UNSAFE);
    const [zipName, sidecar] = readdirSync(out)
      .sort()
      .filter((name) => !name.endsWith('-forms'));
    const zip = join(out, zipName!);
    expect(sidecar).toBe(`${zipName}.sha256`);

    // The zip and the manifests, with the examiners' own tools.
    const tested = runTool('unzip', ['-t', zip]);
    expect(tested.code, tested.stdout).toBe(0);
    const sidecarCheck = runTool('sha256sum', ['-c', sidecar!], out);
    expect(sidecarCheck.code, sidecarCheck.stdout + sidecarCheck.stderr).toBe(0);
    const extracted = join(dir, `x-${ext}`);
    mkdirSync(extracted);
    expect(runTool('unzip', ['-q', zip, '-d', extracted]).code).toBe(0);
    const [bagName] = readdirSync(extracted);
    const bag = join(extracted, bagName!);
    for (const manifest of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      const check = runTool('sha256sum', ['-c', '--strict', manifest], bag);
      expect(check.code, `${manifest}: ${check.stdout}${check.stderr}`).toBe(0);
    }
    const verified = await cli(['verify', zip, '--original', source]);
    expect(verified.code, verified.stdout).toBe(0);

    const entries = new Map(
      [...(await readZip(zip)).entries()].map(([name, data]) => [name.slice(bagName!.length + 1), data]),
    );
    expect([...entries.keys()].sort()).toEqual(walk(bag));
    // The original and its access copy are audio, not documents.
    const documents = [...entries.keys()].filter(
      (p) => !p.startsWith('data/original/') && !p.startsWith('data/access/'),
    );
    expect([...entries.keys()].filter((p) => p.startsWith('data/access/'))).toHaveLength(1);
    expect(documents).toEqual(
      expect.arrayContaining([
        'bag-info.txt',
        'meta/evidence.json',
        'data/report/report.html',
        'data/report/inspection.json',
        'data/transcript/transcript.md',
        'data/transcript/transcript.vtt',
        'data/transcript/transcript.docx',
        'data/list/evidence-list.csv',
        'data/list/evidence-list.docx',
      ]),
    );

    // Nothing the file said reaches a document verbatim and unbounded.
    for (const path of documents.filter((p) => !p.endsWith('.docx') && !p.endsWith('.json'))) {
      const body = text(entries, path);
      // CRLF ends the CSV's records (RFC 4180); any other CR is a value that broke out.
      expect(path.endsWith('.csv') ? body.replace(/\r\n/g, '\n') : body, path).not.toMatch(UNSAFE);
      expect(body, path).not.toContain('T'.repeat(5000));
      expect(entries.get(path)!.length, path).toBeLessThan(512 * 1024);
    }

    // report.html: escaped (the values are there, as text), no live tag or event attribute.
    const report = text(entries, 'data/report/report.html');
    // The one script the report carries is the player's own, allowed by its hash in the policy: take it
    // out, and nothing live may remain.
    const scripts = [...report.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![1]!).digest('base64');
    expect(report).toContain(`script-src 'sha256-${hash}'`);
    const html = report.replace(scripts[0]![0], '');
    expect(html).not.toMatch(LIVE_MARKUP);
    expect(html).not.toMatch(EVENT_ATTRIBUTE);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');

    // Markdown: a backslash-escaped "<" is a literal (CommonMark), so once escapes are set aside no "<"
    // may open a tag, a comment or a processing instruction.
    const md = text(entries, 'data/transcript/transcript.md').replace(/\\[\s\S]/g, '');
    expect(md).not.toMatch(/<[a-z/!?]/i);
    expect(text(entries, 'data/transcript/transcript.md')).toContain('\\<b onmouseover=alert(1)\\>bold');
    // WebVTT: cue text is parsed for tags; only &lt; may stand for "<", and every "-->" is our own timing.
    const vtt = text(entries, 'data/transcript/transcript.vtt');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).not.toContain('<');
    for (const line of vtt.split('\n').filter((l) => l.includes('-->')))
      expect(line).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/);

    // DOCX: every XML part well-formed.
    for (const docx of documents.filter((p) => p.endsWith('.docx'))) {
      const parts = await readZip(join(bag, docx));
      expect(parts.has('word/document.xml'), docx).toBe(true);
      const partsDir = join(dir, `xml-${ext}-${docx.replace(/\W+/g, '-')}`);
      mkdirSync(partsDir);
      expect(xmlProblems(partsDir, parts), docx).toEqual([]);
    }

    // The evidence list CSV: one record per recording, every cell neutralised against formulas.
    const csv = text(entries, 'data/list/evidence-list.csv');
    const records = parseCsv(csv.replace(/^\ufeff/, ''));
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toHaveLength(LIST_COLUMNS.length);
      for (const cell of record) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(records[1]!.some((cell) => cell.startsWith(`'=HYPERLINK`))).toBe(true);

    // bag-info.txt: every value on one line.
    const info = text(entries, 'bag-info.txt');
    expect(info).not.toContain('\r');
    for (const line of info.split('\n').filter(Boolean)) expect(line).toMatch(/^[A-Za-z0-9-]+: \S|^[ \t]/);
    expect(info.match(/^Original-Filename: /gm)).toHaveLength(1);

    // The custody log and the inspect JSON keep the verbatim name and stay valid JSON.
    const evidence = JSON.parse(text(entries, 'meta/evidence.json')) as {
      items: Array<{ originalName: string }>;
    };
    expect(evidence.items[0]!.originalName).toBe(`${NAME}.${ext}`);
    expect(contractProblems(JSON.parse(text(entries, 'data/report/inspection.json')))).toEqual([]);
  });
});
