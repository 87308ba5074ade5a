// pack --case-file and per-recording --title/--proves ("01=…", "STEM=…"): parsing, and real case bundles from the fixtures.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseFromCsv, caseFromJson, keyedOptions } from '../../src/bundle/case-file.js';
import type { Evidence } from '../../src/bundle/evidence.js';
import { recordingTexts } from '../../src/bundle/pack-options.js';
import { verify } from '../../src/verify/verify.js';
import { cli, fixture } from '../helpers.js';
import { parseCsv } from '../render/helpers.js';
import { removeTempDirs, tempDir } from './support.js';

afterAll(removeTempDirs);

const FILES = ['/cases/rec-a.m4a', '/cases/通话 2.amr'];

describe('keyedOptions', () => {
  it('tells "01=…" and "STEM=…" from plain text, and keeps "a=b" inside a text', () => {
    const { options, twice } = keyedOptions(
      {
        title: ['借款催收录音', '02=第二次通话'],
        proves: ['01=被告承认借款', '通话 2＝被告承诺还款', 'x'],
      },
      FILES,
    );
    expect(twice).toBeUndefined();
    expect(options).toEqual({
      title: '借款催收录音',
      proves: 'x',
      recordings: {
        '02': { title: '第二次通话' },
        '01': { proves: '被告承认借款' },
        '通话 2': { proves: '被告承诺还款' },
      },
    });
    expect(keyedOptions({ title: [], proves: ['证明 a=b 成立'] }, FILES).options).toEqual({
      proves: '证明 a=b 成立',
    });
  });

  it('says which option was given twice for every recording', () => {
    expect(keyedOptions({ title: [], proves: ['a', 'b'] }, FILES).twice).toBe('--proves');
  });
});

describe('recordingTexts', () => {
  it('resolves numbers, names and stems; a key that names no recording is bad usage', () => {
    expect(
      recordingTexts(
        { '1': { proves: 'p1' }, '通话 2.amr': { title: 't2' }, 'rec-a': { title: 't1' } },
        FILES,
      ),
    ).toEqual([{ proves: 'p1', title: 't1' }, { title: 't2' }]);
    expect(() => recordingTexts({ '3': { proves: 'x' } }, FILES)).toThrow(
      /no recording numbered or named "3"/,
    );
  });
});

describe('case files', () => {
  it('reads the case facts and the recordings from JSON (object or array)', () => {
    const json = JSON.stringify({
      case: '(2024)京0105民初12345号',
      court: '北京市朝阳区人民法院',
      submitter: '张三',
      partyRole: '原告',
      recordings: { '01': { title: '第一次通话', proves: '被告承认借款' } },
    });
    expect(caseFromJson(json)).toEqual({
      caseId: '(2024)京0105民初12345号',
      court: '北京市朝阳区人民法院',
      submitter: '张三',
      partyRole: '原告',
      recordings: { '01': { title: '第一次通话', proves: '被告承认借款' } },
    });
    expect(caseFromJson('{"recordings":[{"file":"rec-a.m4a","proves":"p"}]}')).toEqual({
      recordings: { 'rec-a.m4a': { proves: 'p' } },
    });
    expect(() => caseFromJson('[1]')).toThrow(/JSON object/);
    expect(() => caseFromJson('{')).toThrow(/not valid JSON/);
  });

  it('reads a CSV with Chinese or English headers, quoted fields and a BOM-less UTF-8 body', () => {
    const csv = '序号,证据名称,证明对象\r\n1,第一次通话,"被告承认借款, 共 5 万元"\r\n02,,被告承诺还款\r\n';
    expect(caseFromCsv(csv)).toEqual({
      recordings: {
        '1': { title: '第一次通话', proves: '被告承认借款, 共 5 万元' },
        '02': { proves: '被告承诺还款' },
      },
    });
    expect(caseFromCsv('file,proves\nrec-a,p\n')).toEqual({ recordings: { 'rec-a': { proves: 'p' } } });
    expect(() => caseFromCsv('a,b\n1,2\n')).toThrow(/header row/);
  });
});

describe('pack with per-recording texts', () => {
  it('a case bundle gives each recording its own 证据名称 and 证明对象, from the case file and the options', async () => {
    const root = tempDir('ae-casefile-');
    copyFileSync(fixture('originals/rec-a.m4a'), join(root, 'rec-a.m4a'));
    copyFileSync(fixture('edited/concat-bytes-default.amr'), join(root, '通话 2.amr'));
    const caseFile = join(root, 'case.json');
    writeFileSync(
      caseFile,
      JSON.stringify({
        case: '(2024)京0105民初12345号',
        court: '北京市朝阳区人民法院',
        partyRole: '原告',
        recordings: { '02': { title: '第二次通话', proves: '案卷中的证明对象' } },
      }),
    );
    const out = join(root, 'out');
    const run = await cli(
      [
        'pack',
        join(root, 'rec-a.m4a'),
        join(root, '通话 2.amr'),
        '--combine',
        'case',
        '--no-zip',
        '--out',
        out,
        '--case-file',
        caseFile,
        '--submitter',
        '张三',
        '--title',
        '借款纠纷录音',
        '--proves',
        'rec-a=被告承认借款 5 万元',
        '--proves',
        '02=被告承诺还款日期',
      ],
      { LANG: 'zh_CN.UTF-8' },
    );
    expect(run.code).toBe(0);
    const bag = join(out, 'case-evidence');
    expect((await verify(bag)).ok).toBe(true);
    const evidence = JSON.parse(readFileSync(join(bag, 'meta/evidence.json'), 'utf8')) as Evidence;
    expect(evidence.case).toMatchObject({
      id: '(2024)京0105民初12345号',
      court: '北京市朝阳区人民法院',
      partyRole: '原告',
      submitter: '张三',
      title: '借款纠纷录音',
    });
    // The command line wins over the case file, recording by recording and field by field.
    expect(evidence.items.map((item) => [item.title, item.proves])).toEqual([
      [undefined, '被告承认借款 5 万元'],
      ['第二次通话', '被告承诺还款日期'],
    ]);
    const rows = parseCsv(readFileSync(join(bag, 'data/list/evidence-list.csv'), 'utf8').slice(1));
    expect(rows[1]![1]).toContain('借款纠纷录音');
    expect(rows[1]![3]).toBe('被告承认借款 5 万元');
    expect(rows[2]![1]).toContain('第二次通话');
    expect(rows[2]![3]).toBe('被告承诺还款日期');
    expect(readFileSync(join(bag, 'bag-info.txt'), 'utf8')).toMatch(/^Court: 北京市朝阳区人民法院$/m);
    expect(readFileSync(join(bag, 'data/report/report-02.html'), 'utf8')).toContain('被告承诺还款日期');
  });

  it('refuses a key that names no input, and a plain --proves given twice, with exit 2 and nothing written', async () => {
    const root = tempDir('ae-casefile-');
    copyFileSync(fixture('originals/rec-a.m4a'), join(root, 'rec-a.m4a'));
    const unknown = await cli(['pack', join(root, 'rec-a.m4a'), '--no-zip', '--proves', '7=x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no recording numbered or named "7"');
    const twice = await cli(['pack', join(root, 'rec-a.m4a'), '--proves', 'a', '--proves', 'b'], {
      LANG: 'zh_CN.UTF-8',
    });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('选项 --proves 给了不止一次');
    expect(readdirSync(root)).toEqual(['rec-a.m4a']);
  });
});
