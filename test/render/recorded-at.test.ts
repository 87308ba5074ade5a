// Human-facing times in the bundle: local with the offset (TZ or --timezone), the recording time named
// for what it is (start or end, per writer), JSON left in UTC.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { recordedAt } from '../../src/render/recorded-at.js';
import { docText } from '../../src/render/text.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { runProcess } from '../../src/tools/run-process.js';
import type { InspectResult } from '../../src/types.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import { docxRows, edited, parseCsv, unzip } from './helpers.js';

afterAll(removeTempDirs);

const CREATED = '2024-06-22T17:25:22Z';
const SHANGHAI = '2024-06-23 01:25:22 +08:00';

let android: string;

/** An Android MediaRecorder-like M4A (handler "SoundHandle") whose container says it was created at CREATED. */
beforeAll(async () => {
  const { ffmpeg } = await binaries();
  android = join(tempDir('ae-times-'), 'android.m4a');
  const run = await runProcess(ffmpeg.path, [
    '-v',
    'error',
    '-i',
    fixture('originals/rec-a.m4a'),
    '-c',
    'copy',
    '-metadata',
    `creation_time=${CREATED}`,
    '-metadata:s:a',
    'handler_name=SoundHandle',
    android,
  ]);
  expect(run.code).toBe(0);
});

/** Every "YYYY-MM-DD hh:mm…" date-time in a text, with what follows it. */
const dateTimes = (text: string): string[] =>
  [
    ...text.matchAll(
      /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[^<\s,|，。）)]*(?: [+-]\d{2}:\d{2})?/g,
    ),
  ].map((m) => m[0]);

describe('times in the bundle', () => {
  it('TZ=Asia/Shanghai: report, transcript and list show local times with +08:00; the recording end is named; JSON stays UTC', async () => {
    const dir = tempDir();
    const source = join(dir, 'call.m4a');
    copyFileSync(android, source);
    const run = await cli(['pack', source, '--no-zip', '--lang', 'zh-CN'], {
      LANG: 'zh_CN.UTF-8',
      TZ: 'Asia/Shanghai',
    });
    expect(run.code).toBe(0);
    const bag = join(dir, 'call-evidence');

    const html = readFileSync(join(bag, 'data/report/report.html'), 'utf8');
    expect(html).toContain(
      `<th scope="row">录制结束时间（据文件记载）</th><td><span class="wrap">${SHANGHAI}</span>`,
    );
    // Every time a reader meets carries +08:00 — except the tags table, which shows the file's own text.
    const readable = html.replace(/<table class="tags">[\s\S]*?<\/table>/, '');
    const times = dateTimes(readable);
    expect(times.length).toBeGreaterThan(4);
    for (const time of times) expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);
    expect(readable).not.toMatch(/UTC|\d{2}Z\b/);

    const md = readFileSync(join(bag, 'data/transcript/transcript.md'), 'utf8');
    expect(md).toContain(`- **录制结束时间（据文件记载）**：${SHANGHAI}`);
    const docx = await unzip(readFileSync(join(bag, 'data/transcript/transcript.docx')));
    expect(docx.get('word/document.xml')!.toString('utf8')).toContain(SHANGHAI);

    const csv = parseCsv(
      readFileSync(join(bag, 'data/list/evidence-list.csv'), 'utf8').replace(/^\ufeff/, ''),
    );
    expect(csv[1]![6]).toContain(`录制结束时间（据文件记载）：${SHANGHAI}`);
    const list = await docxRows(readFileSync(join(bag, 'data/list/evidence-list.docx')));
    expect(list.flat().join(' ')).toContain(SHANGHAI);
    for (const time of dateTimes(list.flat().join(' '))) expect(time).toMatch(/\+08:00$/);

    const readme = readFileSync(join(bag, 'meta/README-verify.txt'), 'utf8');
    expect(/生成时间 \/ Packed at: +(.*)/.exec(readme)?.[1]).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/,
    );

    // JSON keeps ISO-8601 UTC.
    const inspection = JSON.parse(
      readFileSync(join(bag, 'data/report/inspection.json'), 'utf8'),
    ) as InspectResult;
    expect(inspection.media.created).toBe('2024-06-22T17:25:22.000Z');
    expect(inspection.file.modified).toMatch(/Z$/);
  });

  it('--timezone overrides TZ; a zone ICU does not know is bad usage (exit 2)', async () => {
    const dir = tempDir();
    const source = join(dir, 'call.m4a');
    copyFileSync(android, source);
    const run = await cli(['pack', source, '--no-zip', '--lang', 'en', '--timezone', 'Europe/Berlin'], {
      TZ: 'Asia/Shanghai',
    });
    expect(run.code).toBe(0);
    const md = readFileSync(join(dir, 'call-evidence/data/transcript/transcript.md'), 'utf8');
    expect(md).toContain('**Recording ended (as the file records it)**: 2024-06-22 19:25:22 +02:00');

    const bad = await cli(['pack', source, '--timezone', 'Mars/Olympus'], { LANG: 'zh_CN.UTF-8' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('无法识别的时区“Mars/Olympus”');
    const badInspect = await cli(['inspect', source, '--timezone', 'Nowhere'], { LANG: 'en_US.UTF-8' });
    expect(badInspect.code).toBe(2);
    expect(badInspect.stderr).toContain('Unknown time zone "Nowhere"');
    await expect(pack([source], { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'usage' });
  });

  it('inspect prints the recording end in the chosen zone; --json stays UTC', async () => {
    const text = await cli(['inspect', android, '--timezone', 'Asia/Shanghai'], { LANG: 'zh_CN.UTF-8' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`录制结束时间（据文件记载）: ${SHANGHAI}`);
    const json = await cli(['inspect', android, '--json', '--timezone', 'Asia/Shanghai']);
    expect((JSON.parse(json.stdout) as InspectResult).media.created).toBe('2024-06-22T17:25:22.000Z');
  });
});

describe('recordedAt: what the file time means, from the writer table', () => {
  const writer = (creationTime?: 'start' | 'end') => ({
    id: 'recorder-signature',
    check: 'writer-signature',
    severity: 'info' as const,
    aspect: 'originality' as const,
    category: 'encoding' as const,
    title: 'Written by a recorder',
    detail: '',
    evidence: { signature: 'x', ...(creationTime ? { creationTime } : {}) },
  });
  const withTime = (creationTime?: 'start' | 'end') =>
    edited((r) => {
      r.media.created = '2024-06-22T17:25:22.000Z';
      r.findings = [writer(creationTime)];
    });

  it.each([
    ['start', 'zh-CN', '录制开始时间（据文件记载）'],
    ['end', 'zh-CN', '录制结束时间（据文件记载）'],
    [undefined, 'zh-CN', '文件记载的创建时间（是录制开始还是结束，未能确定）'],
    ['start', 'en', 'Recording started (as the file records it)'],
    ['end', 'en', 'Recording ended (as the file records it)'],
  ] as const)('creationTime %s → %s label', async (meaning, lang, label) => {
    const result = await withTime(meaning);
    expect(recordedAt(result, docText(lang), 'Asia/Shanghai')).toEqual({ label, time: SHANGHAI });
  });

  it('says nothing when the file states no time', async () => {
    const result = await edited((r) => {
      delete r.media.created;
    });
    expect(recordedAt(result, docText('en'), 'UTC')).toBeUndefined();
  });

  it('the built-in table marks Android MediaRecorder as "end" and Voice Memos as "start"', () => {
    const table = JSON.parse(readFileSync(fixture('../templates/signatures.json'), 'utf8')) as {
      signatures: Array<{ id: string; creationTime?: string }>;
    };
    const meaning = (id: string) => table.signatures.find((s) => s.id === id)?.creationTime;
    expect(meaning('android-mediarecorder')).toBe('end');
    expect(meaning('android-version-tag')).toBe('end');
    expect(meaning('apple-voice-memos')).toBe('start');
  });
});
