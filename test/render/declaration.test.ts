// The recorder's declaration: prefilled from the pack facts, blanks otherwise, every recording listed with its
// SHA-256, both languages, Markdown that keeps hostile values as text, and a DOCX that holds the same statements.
import { describe, expect, it } from 'vitest';
import {
  buildDeclaration,
  renderDeclarationDocx,
  renderDeclarationMarkdown,
} from '../../src/render/declaration.js';
import { docText } from '../../src/render/text.js';
import { context, edited, unzip } from './helpers.js';

const FACTS = {
  recordedBy: '张三',
  place: '北京市朝阳区',
  device: 'iPhone 13, 语音备忘录',
  speakers: [{ name: '张三', role: '原告' }, { name: '李四' }],
};

describe('buildDeclaration', () => {
  it('prefills who, what device, where and who was present (zh-CN)', async () => {
    const result = await edited();
    const doc = buildDeclaration(context([result], FACTS), docText('zh-CN'));
    expect(doc.title).toBe('录音人声明');
    expect(doc.recordings).toEqual([`证据1：文件“${result.file.name}”，SHA-256 ${result.file.sha256}`]);
    expect(doc.statements[0]).toBe(
      '一、上述录音由本人（张三）亲自录制，使用的设备及应用为：iPhone 13, 语音备忘录。',
    );
    expect(doc.statements[1]).toBe('二、录制地点：北京市朝阳区；录制时间：＿＿＿＿＿＿＿＿。');
    expect(doc.statements[2]).toBe('三、在场人物（说话人及身份）：张三（原告）、李四。');
    expect(doc.statements[3]).toContain('未经任何剪辑、删减、拼接');
    expect(doc.statements[4]).toContain('原始载体');
    expect(doc.signature).toContain('签名');
  });

  it('leaves blanks when nothing is given (en), one line per recording', async () => {
    const a = await edited();
    const b = await edited((r) => {
      r.file.name = 'second.m4a';
    });
    const doc = buildDeclaration(context([a, b], { lang: 'en' }), docText('en'));
    expect(doc.title).toBe("Recorder's declaration");
    expect(doc.recordings).toHaveLength(2);
    expect(doc.statements[0]).toBe(
      '1. I (________________) made the recordings myself, with this device and app: ________________.',
    );
    expect(doc.statements[2]).toBe('3. Present (speakers and roles): ________________.');
    expect(doc.statements[3]).toContain('not been edited, cut, spliced');
  });

  it('keeps hostile values as text in Markdown and one line each', async () => {
    const doc = buildDeclaration(
      context([await edited()], { recordedBy: '<script>x</script>\n# heading', lang: 'en' }),
      docText('en'),
    );
    const md = renderDeclarationMarkdown(doc);
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/^# heading/m);
    expect(md).toContain('\\<script\\>');
  });

  it('writes the same statements into the Word document', async () => {
    const doc = buildDeclaration(context([await edited()], FACTS), docText('zh-CN'));
    const files = await unzip(await renderDeclarationDocx(doc, { lang: 'zh-CN', creator: 'test' }));
    const xml = files
      .get('word/document.xml')!
      .toString('utf8')
      .replace(/<[^>]+>/g, '');
    for (const statement of doc.statements) expect(xml).toContain(statement);
    expect(xml).toContain('声明人（签名）');
  });
});
