// pack --recorded-by/--place/--device/--speaker: the facts reach the transcript header, the evidence list,
// evidence.json and bag-info.txt; the recorder's declaration is sealed in the bag and copied to the forms;
// the "keep the phone" warning is on screen and in the report; bad values are bad usage.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PackOptions, pack, parseSpeaker } from '../../src/bundle/pack.js';
import { isAudioEvidenceError } from '../../src/errors.js';
import { verify } from '../../src/verify/verify.js';
import { cli, fixture } from '../helpers.js';
import { docxRows, parseCsv, unzip } from '../render/helpers.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

function stage(): { dir: string; source: string } {
  const dir = tempDir();
  const source = join(dir, 'rec-a.m4a');
  copyFileSync(fixture('originals/rec-a.m4a'), source);
  return { dir, source };
}

const FACTS: PackOptions = {
  recordedBy: '张三',
  place: '北京市朝阳区某小区门口',
  device: 'iPhone 13, 语音备忘录',
  speakers: [{ name: '张三', role: '原告' }, { name: '李四', role: '被告' }, { name: '王五' }],
};

const docxText = (buffer: Buffer): Promise<string> =>
  unzip(buffer).then((files) =>
    files
      .get('word/document.xml')!
      .toString('utf8')
      .replace(/<[^>]+>/g, ''),
  );

describe('pack with the recording facts (zh-CN)', () => {
  it('prefills transcript, list, evidence.json, bag-info and the declaration; verify passes', async () => {
    const { dir, source } = stage();
    const [bundle] = await pack([source], { lang: 'zh-CN', submitter: '张三', ...FACTS });
    const files = await unzip(readFileSync(bundle!.path));
    const get = (path: string): Buffer => {
      const content = files.get(`rec-a-evidence/${path}`);
      if (!content) throw new Error(`missing ${path}`);
      return content;
    };

    // Transcript header, Markdown and DOCX.
    const md = get('data/transcript/transcript.md').toString('utf8');
    expect(md).toContain('- **录音人**：张三');
    expect(md).toContain('- **录制地点**：北京市朝阳区某小区门口');
    expect(md).toContain('- **录音设备**：iPhone 13, 语音备忘录');
    expect(md).toContain('- **在场人物（说话人及身份）**：张三（原告）、李四（被告）、王五');
    expect(md).toContain('| 说话人甲 | 张三 | 原告 |');
    const rows = await docxRows(get('data/transcript/transcript.docx'));
    expect(rows).toContainEqual(['录音人', '张三']);
    expect(rows).toContainEqual(['录音设备', 'iPhone 13, 语音备忘录']);
    expect(rows).toContainEqual(['在场人物（说话人及身份）', '张三（原告）、李四（被告）、王五']);

    // Evidence list: 证据来源 and 备注, CSV and DOCX.
    const source_ = '录音人张三使用iPhone 13, 语音备忘录于北京市朝阳区某小区门口录制；张三提供';
    const csv = parseCsv(
      get('data/list/evidence-list.csv')
        .toString('utf8')
        .replace(/^\ufeff/, ''),
    );
    const sourceColumn = csv[0]!.indexOf('证据来源');
    expect(csv[1]![sourceColumn]).toBe(source_);
    expect(csv[1]![csv[0]!.indexOf('备注')]).toContain('在场人物：张三（原告）、李四（被告）、王五。');
    const listRows = await docxRows(get('data/list/evidence-list.docx'));
    expect(listRows.flat()).toContain(source_);

    // evidence.json and bag-info.txt.
    const evidence = JSON.parse(get('meta/evidence.json').toString('utf8')) as { case: unknown };
    expect(evidence.case).toEqual({ submitter: '张三', ...FACTS });
    const bagInfo = get('bag-info.txt').toString('utf8');
    expect(bagInfo).toContain('Recorded-By: 张三\n');
    expect(bagInfo).toContain('Recording-Place: 北京市朝阳区某小区门口\n');
    expect(bagInfo).toContain('Recording-Device: iPhone 13, 语音备忘录\n');
    expect(bagInfo.match(/^Speaker: .*$/gm)).toEqual([
      'Speaker: 张三 (原告)',
      'Speaker: 李四 (被告)',
      'Speaker: 王五',
    ]);

    // The declaration: in the bag, sealed in both manifests, and in the forms folder.
    const declaration = get('data/transcript/declaration.md').toString('utf8');
    expect(declaration).toContain('# 录音人声明');
    expect(declaration).toContain(
      '上述录音由本人（张三）亲自录制，使用的设备及应用为：iPhone 13, 语音备忘录。',
    );
    expect(declaration).toContain('录制地点：北京市朝阳区某小区门口');
    expect(declaration).toContain('未经任何剪辑、删减、拼接');
    expect(declaration).toContain('原始载体');
    expect(declaration).toContain('声明人（签名）');
    expect(declaration).toContain(bundle!.items[0]!.sha256);
    expect(await docxText(get('data/transcript/declaration.docx'))).toContain(
      '上述录音由本人（张三）亲自录制',
    );
    const manifest = get('manifest-sha256.txt').toString('utf8');
    const sm3 = get('meta/sm3sums.txt').toString('utf8');
    for (const path of ['data/transcript/declaration.md', 'data/transcript/declaration.docx']) {
      expect(manifest).toMatch(new RegExp(`^[0-9a-f]{64}  ${path}$`, 'm'));
      expect(sm3).toMatch(new RegExp(`^[0-9a-f]{64}  ${path}$`, 'm'));
    }
    const forms = readdirSync(bundle!.forms!);
    expect(forms).toContain('declaration.docx');
    expect(forms).toContain('declaration.md');
    const formCopy = readFileSync(join(bundle!.forms!, 'declaration.md'), 'utf8');
    expect(formCopy).toContain(bundle!.sha256!);
    expect(formCopy).toContain('亲自录制');
    // The forms' transcript is made by the same renderer: prefilled too.
    expect(readFileSync(join(bundle!.forms!, 'transcript.md'), 'utf8')).toContain('- **录音人**：张三');

    // The report says to keep the phone, near the top.
    const report = get('data/report/report.html').toString('utf8');
    const keep = report.indexOf('class="keep-original"');
    expect(keep).toBeGreaterThan(0);
    expect(keep).toBeLessThan(report.indexOf('<h2>'));
    expect(report).toContain('开庭时请带上这部手机');
    expect(report).toContain('张三（原告）、李四（被告）、王五');

    expect((await verify(bundle!.path)).ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      ['rec-a-evidence-forms', 'rec-a-evidence.zip', 'rec-a-evidence.zip.sha256', 'rec-a.m4a'].sort(),
    );
  });

  it('leaves the blanks when no fact is given, and the declaration is still there to fill in', async () => {
    const { source } = stage();
    const [bundle] = await pack([source], { lang: 'zh-CN' });
    const files = await unzip(readFileSync(bundle!.path));
    const md = files.get('rec-a-evidence/data/transcript/transcript.md')!.toString('utf8');
    expect(md).toContain('- **录音人**：\\_\\_\\_\\_\\_\\_\\_\\_');
    expect(md).toContain('- **在场人物（说话人及身份）**：\\_\\_\\_\\_\\_\\_\\_\\_');
    expect(md).toContain('| 说话人甲 |   |   |   |');
    const declaration = files.get('rec-a-evidence/data/transcript/declaration.md')!.toString('utf8');
    expect(declaration).toContain('上述录音由本人（＿＿＿＿＿＿＿＿）亲自录制');
    const bagInfo = files.get('rec-a-evidence/bag-info.txt')!.toString('utf8');
    expect(bagInfo).not.toMatch(/^(Recorded-By|Recording-Place|Recording-Device|Speaker):/m);
    const csv = parseCsv(
      files
        .get('rec-a-evidence/data/list/evidence-list.csv')!
        .toString('utf8')
        .replace(/^\ufeff/, ''),
    );
    expect(csv[1]![csv[0]!.indexOf('证据来源')]).toBe('');
    expect(readdirSync(bundle!.forms!)).toContain('declaration.docx');
  });
});

describe('pack with the recording facts (en, CLI)', () => {
  it('takes the options on the command line, says to keep the phone, and sanitises line breaks', async () => {
    const { dir, source } = stage();
    const out = join(dir, 'out');
    const run = await cli([
      'pack',
      source,
      '--out',
      out,
      '--lang',
      'en',
      '--recorded-by',
      'Zhang San',
      '--place',
      'Beijing\r\nBag-Software-Agent: forged',
      '--device',
      'iPhone 13, Voice Memos',
      '--speaker',
      'Zhang San:plaintiff',
      '--speaker',
      'Li Si: witness: neighbour',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('keep the recording on the phone');
    expect(run.stderr).toContain('Bring that phone to court');
    expect(run.stdout).toContain("recorder's declaration");
    const files = await unzip(readFileSync(join(out, 'rec-a-evidence.zip')));
    const get = (path: string): string => files.get(`rec-a-evidence/${path}`)!.toString('utf8');
    const bagInfo = get('bag-info.txt');
    expect(bagInfo).toContain('Recorded-By: Zhang San\n');
    expect(bagInfo).toContain('Recording-Place: Beijing Bag-Software-Agent: forged\n');
    expect(bagInfo.match(/^Bag-Software-Agent:/gm)).toHaveLength(1);
    expect(bagInfo).toContain('Speaker: Li Si (witness: neighbour)\n');
    const md = get('data/transcript/transcript.md');
    expect(md).toContain('- **Recorded by**: Zhang San');
    expect(md).toContain(
      '- **Present (speakers and roles)**: Zhang San (plaintiff), Li Si (witness: neighbour)',
    );
    const csv = parseCsv(get('data/list/evidence-list.csv').replace(/^\ufeff/, ''));
    expect(csv[1]![csv[0]!.indexOf('Source')]).toBe(
      'Recorded by Zhang San with iPhone 13, Voice Memos at Beijing Bag-Software-Agent: forged',
    );
    const declaration = get('data/transcript/declaration.md');
    expect(declaration).toContain("# Recorder's declaration");
    expect(declaration).toContain(
      'I (Zhang San) made the recordings myself, with this device and app: iPhone 13, Voice Memos.',
    );
    expect(declaration).toContain('have not been edited, cut, spliced');
    expect(get('data/report/report.html')).toContain('Bring that phone to court');
    expect(readdirSync(join(out, 'rec-a-evidence-forms'))).toContain('declaration.docx');
    expect((await verify(join(out, 'rec-a-evidence.zip'))).ok).toBe(true);
  });

  it('a case bundle (--combine, --no-zip) gets one declaration listing every recording; the warning comes once', async () => {
    const { dir, source } = stage();
    const second = join(dir, 'rec-b.m4a');
    copyFileSync(source, second);
    const run = await cli(
      ['pack', source, second, '--combine', 'case', '--no-zip', '--recorded-by', '张三', '--lang', 'zh-CN'],
      { LANG: 'zh_CN.UTF-8' },
    );
    expect(run.code).toBe(0);
    expect(run.stderr.match(/重要提示：请把录音继续保存在录制它的手机/g)).toHaveLength(1);
    const bag = join(dir, 'case-evidence');
    const declaration = readFileSync(join(bag, 'data/transcript/declaration.md'), 'utf8');
    expect(declaration).toContain('证据1：文件“rec-a.m4a”');
    expect(declaration).toContain('证据2：文件“rec-b.m4a”');
    expect(readFileSync(join(bag, 'data/transcript/transcript-02.md'), 'utf8')).toContain(
      '- **录音人**：张三',
    );
    expect(readdirSync(join(dir, 'case-evidence-forms'))).toContain('declaration.md');
    expect((await verify(bag)).ok).toBe(true);
  });

  it.each([
    [['--speaker', ''], 'en', '--speaker needs a name'],
    [['--speaker', ':plaintiff'], 'en', '--speaker needs a name'],
    [['--speaker', '  ：原告'], 'zh-CN', '--speaker 需要写明姓名'],
  ])('refuses %j as bad usage (exit 2) in %s', async (args, lang, message) => {
    const { dir, source } = stage();
    const run = await cli(['pack', source, '--lang', lang, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual(['rec-a.m4a']);
  });
});

describe('the library options', () => {
  it.each([
    [{ recordedBy: 5 }, 'recordedBy'],
    [{ place: ['x'] }, 'place'],
    [{ device: {} }, 'device'],
    [{ speakers: 'a' }, 'speakers'],
    [{ speakers: [{ name: '' }] }, 'speakers'],
    [{ speakers: [{ name: 'a', role: 1 }] }, 'speakers'],
    [{ speakers: ['a'] }, 'speakers'],
  ])('refuses %j as usage', async (options, key) => {
    const { source } = stage();
    const error = await pack([source], options as unknown as PackOptions).catch((e: unknown) => e);
    expect(isAudioEvidenceError(error) && error.code === 'usage' && error.exitCode === 2).toBe(true);
    expect((error as Error).message).toContain(key);
  });

  it('splits NAME:ROLE at the first colon', () => {
    expect(parseSpeaker('张三:原告')).toEqual({ name: '张三', role: '原告' });
    expect(parseSpeaker('张三：原告')).toEqual({ name: '张三', role: '原告' });
    expect(parseSpeaker('Li Si: witness: neighbour')).toEqual({ name: 'Li Si', role: 'witness: neighbour' });
    expect(parseSpeaker('王五')).toEqual({ name: '王五' });
    expect(parseSpeaker('王五:')).toEqual({ name: '王五' });
    expect(parseSpeaker(' :原告')).toBeUndefined();
    expect(parseSpeaker('')).toBeUndefined();
  });
});
