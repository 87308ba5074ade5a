// The editable forms beside a bundle: they name the bundle's SHA-256, editing them leaves verify passing,
// they never overwrite an existing folder, and the user is told the sealed ones are the blank originals.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formsName } from '../../src/bundle/forms.js';
import { pack } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { cli, fixture } from '../helpers.js';
import { docxRows, parseCsv, unzip } from '../render/helpers.js';
import { removeTempDirs, sha256, tempDir } from './support.js';

afterAll(removeTempDirs);

const FORMS = [
  'declaration.docx',
  'declaration.md',
  'evidence-list.csv',
  'evidence-list.docx',
  'transcript.docx',
  'transcript.md',
];

function stage(name = '通话录音.m4a'): { dir: string; source: string } {
  const dir = tempDir();
  const source = join(dir, name);
  copyFileSync(fixture('originals/rec-a.m4a'), source);
  return { dir, source };
}

const docxText = async (path: string): Promise<string> =>
  (await unzip(readFileSync(path))).get('word/document.xml')!.toString('utf8');

describe('the forms beside the zip', () => {
  it('hold the transcript and the list, each naming the zip SHA-256; editing them leaves verify passing', async () => {
    const { dir, source } = stage();
    const [bundle] = await pack([source], { lang: 'zh-CN' });
    const forms = join(dir, '通话录音-evidence-forms');
    expect(bundle!.forms).toBe(forms);
    expect(readdirSync(forms).sort()).toEqual(FORMS);
    const zipSha = sha256(readFileSync(bundle!.path));
    expect(bundle!.sha256).toBe(zipSha);
    const line = `本表所附证据包 SHA-256: ${zipSha}`;

    const md = readFileSync(join(forms, 'transcript.md'), 'utf8');
    expect(md.split('\n').slice(0, 4).join('\n')).toContain(line);
    expect(await docxText(join(forms, 'transcript.docx'))).toContain(line);
    expect((await docxRows(readFileSync(join(forms, 'evidence-list.docx')))).length).toBeGreaterThan(1);
    expect(await docxText(join(forms, 'evidence-list.docx'))).toContain(line);
    const csv = parseCsv(readFileSync(join(forms, 'evidence-list.csv'), 'utf8').replace(/^\ufeff/, ''));
    expect(csv[0]![0]).toContain(line);
    // Apart from the seal lines, the same form as the sealed blank inside the zip.
    const sealed = (await unzip(readFileSync(bundle!.path)))
      .get('通话录音-evidence/data/transcript/transcript.md')!
      .toString('utf8');
    expect(sealed).not.toContain(zipSha);
    expect(md.replace(/\*\*本表[^\n]*\*\*\n\n/g, '')).toBe(sealed);

    // Fill them in: the bundle still verifies, byte for byte.
    appendFileSync(join(forms, 'transcript.md'), '\n| [00:00:01.000] | A | 你什么时候还钱？ | ☑ |\n');
    writeFileSync(join(forms, 'transcript.docx'), Buffer.from('edited in Word'));
    writeFileSync(join(forms, 'evidence-list.csv'), '\ufeff序号,证据名称\r\n1,借款通话\r\n');
    const report = await verify(bundle!.path);
    expect(report.ok).toBe(true);
    expect((await cli(['verify', bundle!.path])).code).toBe(0);
    expect(await verify(bundle!.path, { original: source })).toMatchObject({ ok: true });
  });

  it('beside a bag folder (--no-zip) they name the SHA-256 of its tag manifest; verify passes after edits', async () => {
    const { dir, source } = stage('rec.m4a');
    const [bundle] = await pack([source], { zip: false, lang: 'en' });
    const forms = join(dir, 'rec-evidence-forms');
    expect(bundle!.forms).toBe(forms);
    const tagSha = sha256(readFileSync(join(bundle!.path, 'tagmanifest-sha256.txt')));
    const md = readFileSync(join(forms, 'transcript.md'), 'utf8');
    expect(md).toContain(
      `SHA-256 of the evidence bundle this form belongs to: ${tagSha} (the SHA-256 of tagmanifest-sha256.txt in the bag folder rec-evidence)`,
    );
    // Not part of the bag: the bag's files are the sealed blanks.
    expect(existsSync(join(bundle!.path, 'rec-evidence-forms'))).toBe(false);
    expect(readFileSync(join(bundle!.path, 'data/transcript/transcript.md'), 'utf8')).not.toContain(tagSha);
    appendFileSync(join(forms, 'transcript.md'), 'filled in\n');
    expect((await verify(bundle!.path)).ok).toBe(true);
  });

  it('never overwrites an existing forms folder: the new one takes the next suffix', async () => {
    const { dir, source } = stage('rec.m4a');
    const old = join(dir, formsName('rec-evidence', 1));
    mkdirSync(old);
    writeFileSync(join(old, 'transcript.md'), 'my filled-in transcript');
    const [bundle] = await pack([source], { lang: 'en' });
    expect(bundle!.path).toBe(join(dir, 'rec-evidence.zip'));
    expect(bundle!.forms).toBe(join(dir, 'rec-evidence-forms-2'));
    expect(readdirSync(old)).toEqual(['transcript.md']);
    expect(readFileSync(join(old, 'transcript.md'), 'utf8')).toBe('my filled-in transcript');
    // README-verify names the folder the bundle actually got.
    const { unzip: unzipFile } = await import('../render/helpers.js');
    const entries = await unzipFile(readFileSync(bundle!.path));
    expect(entries.get('rec-evidence/meta/README-verify.txt')!.toString('utf8')).toContain(
      'rec-evidence-forms-2/',
    );
    // A second pack: its own bundle (-2) and its own forms, the first ones untouched.
    const [second] = await pack([source], { lang: 'en' });
    expect(second!.forms).toBe(join(dir, 'rec-evidence-2-forms'));
    // No temporary folders left behind.
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('the terminal says, in both languages, that the sealed ones are blank and the forms are for filling in', async () => {
    const { source } = stage('rec.m4a');
    const zh = await cli(['pack', source], { LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('供填写的表格: ');
    expect(zh.stdout).toContain('证据包内密封的文字稿和证据目录是空白原件');
    expect(zh.stdout).toContain('播放副本（不是原始录音，仅供试听）: data/access/rec.wav');
    const en = await cli(['pack', source], { LANG: 'en_US.UTF-8' });
    expect(en.stdout).toContain('Forms to fill in: ');
    expect(en.stdout).toContain('sealed inside the bundle are the blank originals');
    // The bundle path stays the first line, for scripts.
    expect(en.stdout.split('\n')[0]).toMatch(/rec-evidence-2\.zip$/);
  });

  it('README-verify explains the forms and the playable copy in both languages', async () => {
    const { source } = stage('rec.m4a');
    const [bundle] = await pack([source], { zip: false });
    const readme = readFileSync(join(bundle!.path, 'meta/README-verify.txt'), 'utf8');
    expect(readme).toContain('文字稿、录音人声明和证据目录\n  是封存的空白原件');
    expect(readme).toContain('rec-evidence-forms/');
    expect(readme).toContain('sealed blank originals');
    expect(readme).not.toMatch(/\{\{\w+\}\}/);
  });
});
