// Findings, check names and notes in Chinese: every id the detectors can emit has wording, the wording fills from
// real findings without Latin sentences, and English stays the detectors' own text.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DETECTORS } from '../../src/detectors/index.js';
import { inspect } from '../../src/inspect.js';
import { renderDocuments } from '../../src/render/documents.js';
import {
  BUILTIN_PLACEHOLDERS,
  checkDescription,
  checkNote,
  checkTitle,
  FORMATS,
  fillTemplate,
  findingExplanation,
  findingTable,
  findingTitle,
  placeholders,
  variants,
} from '../../src/render/finding-text.js';
import { escapeHtml } from '../../src/render/sanitize.js';
import { terminalSummary } from '../../src/render/terminal-summary.js';
import type { Finding, InspectResult } from '../../src/types.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { englishLeaks, htmlText } from '../i18n/english-leak.js';
import { context } from './helpers.js';

const table = findingTable('zh-CN')!;
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length + 1))
    .sort();
}

const literals = (expression: string): string[] =>
  [...expression.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!);

/** Where each finding id can come from: the source files whose text names its evidence keys. */
const sources = new Map<string, Set<string>>();
const addSource = (id: string, file: string): void => {
  const set = sources.get(id) ?? new Set<string>();
  sources.set(id, set.add(file));
};

/** Detectors whose finding ids are the kinds of the structure parsers' signs. */
const PARSER_KIND = /^(sign|issue)\.kind$/;

beforeAll(() => {
  // Kinds of the signs the container parsers report (truncation, appended data, frame issues): every one
  // becomes a finding id through truncation, appended-or-concatenated, frame-damage, mp3-frame-integrity or
  // timestamp-gap.
  const parserKinds = new Map<string, string[]>();
  for (const file of tsFiles('src/formats')) {
    const text = read(file);
    for (const m of text.matchAll(
      /(?:truncation|appended|frameIssues)(?:\.push\(|,)\s*\{\s*kind:\s*([^\n]+)/g,
    ))
      for (const kind of literals(m[1]!.replace(/,\s*$/, ''))) {
        const files = parserKinds.get(kind) ?? [];
        parserKinds.set(kind, [...files, file]);
      }
  }
  // ParameterChange['parameter'] becomes "<parameter in kebab-case>-change" in parameter-change.
  // The review stage adds one finding of its own: the count of marks it did not list.
  addSource('more-marks', 'src/analysis/review.ts');
  const union = /parameter:\s*((?:\s*\|\s*'[A-Za-z]+')+)/.exec(read('src/formats/types.ts'))?.[1] ?? '';
  const parameters = [...union.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1]!);
  expect(parameters).toContain('sampleRate');

  const detectors = tsFiles('src/detectors').filter((f) => !/\/(index|types)\.ts$/.test(f));
  expect(detectors.length).toBe(DETECTORS.length);
  for (const file of detectors) {
    const text = read(file);
    const calls = [...text.matchAll(/finding\(meta, \{\s*id:\s*([^\n]+)/g)];
    expect(calls.length, `${file} builds no finding with finding(meta, …)`).toBeGreaterThan(0);
    for (const call of calls) {
      const expression = call[1]!.replace(/,\s*$/, '').trim();
      if (PARSER_KIND.test(expression)) {
        for (const [kind, files] of parserKinds) {
          addSource(kind, file);
          for (const f of files) addSource(kind, f);
        }
      } else if (expression.startsWith('`') && expression.endsWith('-change`')) {
        for (const p of parameters) {
          addSource(`${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-change`, file);
          addSource(`${p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-change`, 'src/formats/types.ts');
        }
      } else {
        // Anything else must be literal ids (possibly chosen by a condition): a new kind of dynamic id
        // has to be taught to this test.
        const ids = literals(expression);
        expect(ids.length, `${file}: cannot tell the finding ids of "id: ${expression}"`).toBeGreaterThan(0);
        expect(
          expression
            .replace(/'[a-z0-9-]+'/g, '')
            .replace(/[\s?:]/g, '')
            .replace(/^\w+$/, ''),
        ).toBe('');
        for (const id of ids) addSource(id, file);
      }
    }
  }
});

describe('the zh-CN findings table', () => {
  it('has wording for every finding id a detector can emit, and none for ids nothing emits', () => {
    const ids = [...sources.keys()].sort();
    expect(ids.length).toBeGreaterThanOrEqual(70);
    expect(ids.filter((id) => !Object.hasOwn(table.findings, id))).toEqual([]);
    expect(Object.keys(table.findings).filter((id) => !sources.has(id))).toEqual([]);
  });

  it('explains every finding id in Chinese for a lay reader, with a last variant that always applies', () => {
    expect(Object.keys(table.explanations).sort()).toEqual(Object.keys(table.findings).sort());
    for (const [id, entry] of Object.entries(table.explanations)) {
      const list = variants(entry);
      const last = list[list.length - 1]!;
      expect(last.when, id).toBeUndefined();
      expect(last.from, id).toBeUndefined();
      expect(placeholders(last.title.replace(/\[[^[\]]*\]/g, '')), id).toEqual([]);
      for (const variant of list) {
        expect(variant.title, id).toMatch(/\p{Script=Han}.*。$/u);
        expect(variant.title, id).not.toMatch(LATIN_PHRASE);
        expect(variant.title, id).not.toMatch(/伪造|真实|篡改/);
      }
    }
  });

  it('fills only placeholders the renderer can fill, from evidence the emitting code writes', () => {
    for (const [id, entry] of Object.entries(table.findings)) {
      const list = variants(entry);
      expect(list.length, id).toBeGreaterThan(0);
      const code = [...(sources.get(id) ?? [])].map(read).join('\n');
      for (const variant of list) {
        const groups = variant.from ? Object.keys(new RegExp(`${variant.from}|`).exec('')?.groups ?? {}) : [];
        for (const [name, format] of placeholders(variant.title)) {
          if (format !== undefined) expect(FORMATS, `${id}: {${name}:${format}}`).toContain(format);
          const known =
            (BUILTIN_PLACEHOLDERS as readonly string[]).includes(name) ||
            groups.includes(name) ||
            new RegExp(`\\b${name}\\b`).test(code);
          expect(known, `${id}: {${name}} is neither built in, a group of "from" nor in the code`).toBe(true);
        }
        for (const key of Object.keys(variant.when ?? {}))
          expect(
            key === 'severity' || key === 'check' || new RegExp(`\\b${key}\\b`).test(code),
            `${id}: ${key}`,
          ).toBe(true);
        // Brackets are optional parts and never nest; anything else would show up as text. A time shown as a
        // place is always optional: documents with a time column leave it out.
        const required = variant.title.replace(/\[[^[\]]*\]/g, '');
        expect(required, id).not.toMatch(/[[\]]/);
        for (const [name, format] of placeholders(required))
          expect((name === 'at' || name === 'end') && (format ?? 'time') === 'time', `${id}: {${name}}`).toBe(
            false,
          );
        expect(variant.title, id).toMatch(/\p{Script=Han}/u);
        expect(variant.title, id).not.toMatch(/伪造|真实/);
      }
    }
  });

  it('names and describes every check in Chinese', () => {
    for (const { meta } of DETECTORS) {
      expect(checkTitle(meta.id, 'zh-CN')).toMatch(/\p{Script=Han}/u);
      expect(checkDescription(meta.id, 'zh-CN')).toMatch(/\p{Script=Han}.*。$/u);
      expect(checkTitle(meta.id, 'en')).toBe(meta.title);
      expect(checkDescription(meta.id, 'en')).toBe(meta.description);
    }
    expect(Object.keys(table.checks).sort()).toEqual(DETECTORS.map((d) => d.meta.id).sort());
    expect(checkTitle('no-such-check', 'zh-CN')).toBe('no-such-check');
    // The tool states what it found; it never calls a recording authentic or forged (DESIGN.md).
    expect(JSON.stringify(table)).not.toMatch(/伪造|真实|篡改/);
  });

  it('words every fixed "not assessable" reason of the detectors', () => {
    const reasons = tsFiles('src/detectors').flatMap((file) =>
      [...read(file).matchAll(/notAssessable\(\s*'([^']+)'/g)].map((m) => m[1]!),
    );
    expect(reasons.length).toBeGreaterThan(15);
    for (const note of reasons) {
      const zh = checkNote({ note }, 'zh-CN');
      expect(zh, note).not.toBe(note);
      expect(zh, note).toMatch(/\p{Script=Han}/u);
    }
    expect(checkNote({ note: 'no mains hum present' }, 'zh-CN')).toMatch(/没有电源嗡嗡声/);
    expect(checkNote({ note: 'no structure parser for not-audio' }, 'zh-CN')).toBe(
      '没有适用于该格式（非音频）的结构解析器',
    );
    // A note the table does not know stays English, whole.
    expect(checkNote({ note: 'something new; decoded 3 s' }, 'zh-CN')).toBe('something new; decoded 3 s');
    expect(checkNote({}, 'zh-CN')).toBeUndefined();
    for (const { match, text } of table.notes) {
      const groups = Object.keys(new RegExp(`${match}|`).exec('')?.groups ?? {});
      for (const [name, format] of placeholders(text)) {
        expect(groups, `${match}: {${name}}`).toContain(name);
        if (format !== undefined) expect(FORMATS).toContain(format);
      }
    }
  });
});

describe('findingTitle', () => {
  const base: Finding = {
    id: 'background-step',
    check: 'background-change',
    severity: 'warning',
    aspect: 'integrity',
    category: 'signal',
    title: 'The background noise changes in one step at 8.84 s',
    detail: 'measured',
    at: 8.84,
  };

  it('words a finding with its times as hh:mm:ss.mmm, English keeps the title', () => {
    expect(findingTitle(base, 'zh-CN')).toBe('00:00:08.840 处背景噪声突然改变');
    expect(findingTitle(base, 'en')).toBe(base.title);
    expect(findingTitle(base, 'en', { place: false })).toBe(base.title);
  });

  it('leaves the place out where the time stands beside the title, keeping times that are values', () => {
    expect(findingTitle(base, 'zh-CN', { place: false })).toBe('背景噪声突然改变');
    const range = {
      ...base,
      id: 'bandwidth-change',
      end: 12.68,
      evidence: { lowHz: 4688, referenceHz: 13875 },
    };
    expect(findingTitle(range, 'zh-CN')).toBe(
      '00:00:08.840 至 00:00:12.680 之间声音频带降到 4.7 kHz（其余部分可达 13.9 kHz）',
    );
    expect(findingTitle(range, 'zh-CN', { place: false })).toBe(
      '声音频带降到 4.7 kHz（其余部分可达 13.9 kHz）',
    );
    const shorter = { ...base, id: 'content-shorter-than-declared', at: 8.992, end: 10 };
    expect(findingTitle(shorter, 'zh-CN', { place: false })).toBe(
      '文件声明时长 10 秒，实际只有 8.992 秒音频',
    );
  });

  it('leaves out an optional part without a value and falls back to English when a required value is missing', () => {
    const truncated: Finding = {
      ...base,
      id: 'index-past-end',
      check: 'truncation',
      title: 'cut',
      at: 10.923,
    };
    expect(findingTitle(truncated, 'zh-CN')).toBe('文件在 00:00:10.923 处被截断：索引指向文件末尾之后的数据');
    const { at: _at, ...unplaced } = truncated;
    expect(findingTitle(unplaced, 'zh-CN')).toBe('文件被截断：索引指向文件末尾之后的数据');
    expect(findingTitle({ ...base, id: 'frame-crc', evidence: {} }, 'zh-CN')).toBe(
      '00:00:08.840 处音频帧的校验和与内容不符',
    );
    const gap: Finding = { ...base, id: 'timestamp-gap', check: 'timestamp-gap', title: 'gap' };
    expect(findingTitle({ ...gap, evidence: { delta: 0.5 } }, 'zh-CN')).toBe(
      '00:00:08.840 处时间戳中断，缺少 0.5 秒',
    );
    expect(findingTitle(gap, 'zh-CN')).toBe('gap');
    expect(findingTitle({ ...base, id: 'brand-new-id' }, 'zh-CN')).toBe(base.title);
  });

  it('chooses the variant by evidence and takes names from the English title', () => {
    const silence = { ...base, id: 'splice-candidate', check: 'splice-discontinuity' };
    expect(findingTitle({ ...silence, evidence: { kind: 'waveform' } }, 'zh-CN')).toBe(
      '00:00:08.840 处波形突然跳变',
    );
    expect(findingTitle({ ...silence, evidence: { kind: 'spectrum' } }, 'zh-CN')).toMatch(/频谱/);
    const writer: Finding = {
      ...base,
      id: 'editor-signature',
      check: 'writer-signature',
      title: 'Traces of editing software: Adobe Audition',
      evidence: { kind: 'editor' },
    };
    expect(findingTitle(writer, 'zh-CN')).toBe('有编辑软件的痕迹：Adobe Audition');
    const recorder = {
      ...writer,
      id: 'recorder-signature',
      title: 'Written by a recorder: Samsung Voice Recorder',
    };
    expect(findingTitle(recorder, 'zh-CN')).toBe('由录音应用写入：三星录音机');
  });

  it('cleans values from the file and never expands placeholders inside them', () => {
    const hostile: Finding = {
      ...base,
      id: 'chunk-past-end',
      check: 'truncation',
      evidence: { id: 'ab\u202Ecd\u0000{at}\n', declared: 100, present: 50 },
    };
    const title = findingTitle(hostile, 'zh-CN');
    expect(title).toContain('{at}');
    expect(title).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/);
    expect(fillTemplate('[a {x}]b{y}', (n) => (n === 'y' ? '{x}' : undefined))).toBe('b{x}');
  });
});

/** Three or more Latin words in a row: an English phrase left in a Chinese sentence (identifiers such as
 * "wav-data-bytes" are names an examiner looks up, not phrases). */
const LATIN_PHRASE = /[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}/;

describe('real inspect results of the edited fixtures', () => {
  const results: InspectResult[] = [];

  beforeAll(async () => {
    const files = readdirSync(join(FIXTURES, 'edited'))
      .sort()
      .map((name) => join(FIXTURES, 'edited', name));
    // Two at a time: the machine is shared.
    for (let i = 0; i < files.length; i += 2)
      results.push(...(await Promise.all(files.slice(i, i + 2).map((f) => inspect(f)))));
  }, 300_000);

  it('word every finding in Chinese, without English phrases', () => {
    const findings = results.flatMap((r) => r.findings);
    expect(findings.length).toBeGreaterThan(100);
    for (const f of findings) {
      const zh = findingTitle(f, 'zh-CN');
      expect(zh, `${f.id}: ${f.title}`).not.toBe(f.title);
      expect(zh, f.id).toMatch(/\p{Script=Han}/u);
      expect(zh, `${f.id}: ${zh}`).not.toMatch(LATIN_PHRASE);
      const short = findingTitle(f, 'zh-CN', { place: false });
      expect(short, f.id).toMatch(/\p{Script=Han}/u);
      expect(short, `${f.id}: ${short}`).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}/);
      expect(findingTitle(f, 'en')).toBe(f.title);
      expect(findingExplanation(f, 'zh-CN'), f.id).toMatch(/\p{Script=Han}/u);
      expect(findingExplanation(f, 'en')).toBeUndefined();
    }
  });

  it('word every check note in Chinese, without English phrases', () => {
    for (const check of results.flatMap((r) => r.checks)) {
      if (check.note === undefined) continue;
      const zh = checkNote(check, 'zh-CN')!;
      expect(zh, check.note).not.toBe(check.note);
      expect(zh, `${check.id}: ${zh}`).not.toMatch(LATIN_PHRASE);
      expect(checkNote(check, 'en')).toBe(check.note);
    }
  });

  it('leave no English outside quoted technical values in the zh terminal summary and documents', async () => {
    const leaks: string[] = [];
    for (const r of results) {
      const m = r.media;
      const fromFile = [r.file.name, r.format.brand ?? '', m.codec ?? ''];
      fromFile.push(m.codecProfile ?? '', m.bitrateMode ?? '', m.encoder ?? '', m.device ?? '');
      fromFile.push(
        ...Object.entries(m.tags ?? {})
          .flat()
          .map(String),
      );
      const texts: Array<[string, string]> = [['terminal', terminalSummary(r, 'zh-CN')]];
      for (const d of await renderDocuments(context([r], { lang: 'zh-CN' }))) {
        if (d.path.endsWith('.html')) texts.push([d.path, htmlText(d.content.toString())]);
        else if (/\.(md|vtt|csv)$/.test(d.path)) texts.push([d.path, d.content.toString()]);
      }
      for (const [where, text] of texts)
        for (const leak of englishLeaks(text, fromFile))
          leaks.push(`${r.file.name} ${where}: ${leak.word} «${leak.context}»`);
    }
    expect(leaks.join('\n')).toBe('');
  });

  it('show the Chinese titles in the terminal and documents, English in English', async () => {
    const result = results.find((r) => basename(r.file.name) === 'concat-bytes-default.mp3')!;
    expect(result.findings.length).toBeGreaterThan(3);
    const zhTerminal = terminalSummary(result, 'zh-CN');
    const enTerminal = terminalSummary(result, 'en');
    for (const f of result.findings) {
      expect(zhTerminal).toContain(findingTitle(f, 'zh-CN', { place: f.at === undefined }));
      expect(zhTerminal).not.toContain(f.title);
      expect(enTerminal).toContain(f.title);
    }

    const documents = async (lang: 'zh-CN' | 'en'): Promise<Map<string, string>> =>
      new Map(
        (await renderDocuments(context([result], { lang }))).map((d) => [d.path, d.content.toString()]),
      );
    const zh = await documents('zh-CN');
    const en = await documents('en');
    const report = zh.get('data/report/report.html')!;
    const transcript = zh.get('data/transcript/transcript.md')!;
    const vtt = zh.get('data/transcript/transcript.vtt')!;
    expect(report).toContain('技术细节（英文原文）');
    for (const f of result.findings) {
      // The findings table has a time column; the waveform's marks name the time in their titles.
      expect(report).toContain(escapeHtml(findingTitle(f, 'zh-CN', { place: f.at === undefined })));
      if (f.at !== undefined) {
        expect(report).toContain(escapeHtml(findingTitle(f, 'zh-CN')));
        const title = findingTitle(f, 'zh-CN', { place: false });
        expect(transcript).toContain(title);
        expect(vtt).toContain(title);
      }
      // The examiner's record stays: the English detail, in the report of either language.
      expect(report).toContain(escapeHtml(f.detail.slice(0, 40)));
      // Above it, what the finding means in Chinese: a lay reader never needs the English.
      expect(report).toContain(escapeHtml(findingExplanation(f, 'zh-CN')!));
      expect(en.get('data/report/report.html')).toContain(escapeHtml(f.title));
    }
    expect(en.get('data/report/report.html')).not.toContain('技术细节');
    for (const check of result.checks)
      if (check.note) expect(report).toContain(escapeHtml(checkNote(check, 'zh-CN')!.slice(0, 20)));
  });
});

describe('a finding explained by its writer', () => {
  it("says in Chinese that it is the writer's known behaviour, naming the writer in Chinese", () => {
    const title = findingTitle(
      {
        id: 'unreferenced-mdat-bytes',
        check: 'frame-damage',
        severity: 'info',
        aspect: 'integrity',
        category: 'structure',
        title: '508 bytes inside the media data (mdat) belong to no sample at 6.08 s',
        detail: 'measured',
        at: 6.08,
        evidence: { bytes: 508, writerQuirk: 'apple-recovery-fragments', knownWriter: 'iPhone Voice Memos' },
      },
      'zh-CN',
    );
    expect(title).toContain('508');
    expect(title).toContain('iPhone 语音备忘录的已知写入方式，不是编辑痕迹');
  });
});
