import { describe, expect, it } from 'vitest';
import { verifyLines } from '../../src/verify/terminal.js';
import type { VerifyReport } from '../../src/verify/verify.js';

function report(ok: boolean): VerifyReport {
  return {
    path: '/tmp/x-evidence.zip',
    kind: 'zip',
    bag: 'x-evidence',
    ok,
    bundleOk: ok,
    files: [
      ok
        ? { path: 'data/original/x.m4a', status: 'OK' }
        : {
            path: 'data/original/x.m4a',
            status: 'CHANGED',
            detail: 'SHA-256 and SM3 differ from the sealed value',
          },
    ] as VerifyReport['files'],
    checks: [
      { id: 'bagit', ok: true, detail: 'BagIt-Version 1.0, Tag-File-Character-Encoding UTF-8' },
      {
        id: 'payload-manifest',
        ok,
        detail: ok
          ? '1 file listed'
          : 'manifest-sha256.txt: SHA-256 differs for data/original/x.m4a; missing: data/y; odd',
      },
    ] as VerifyReport['checks'],
    summary: { OK: ok ? 1 : 0, CHANGED: ok ? 0 : 1, MISSING: 0, EXTRA: 0 },
  };
}

describe('verify on the terminal', () => {
  it('names every bag check in Chinese, with the detail in Chinese only where a check failed', () => {
    const zh = verifyLines(report(false), 'zh-CN');
    expect(zh).toContain('[通过] BagIt 声明文件（bagit.txt）\n');
    // A part the table does not know stays as the quoted English original, labelled.
    expect(zh).toContain(
      '[未通过] 数据文件清单（manifest-sha256.txt）：data/original/x.m4a 的 SHA-256 与清单不符；缺失：data/y；技术细节（英文原文）“odd”\n',
    );
    expect(zh).toContain(
      'data/original/x.m4a: CHANGED（已改动）：SHA-256 与 SM3 均与封存值不符，文件已被改动\n',
    );
    expect(verifyLines(report(false), 'en')).toContain(
      'data/original/x.m4a: CHANGED (SHA-256 and SM3 differ from the sealed value)\n',
    );
  });

  it('keeps the machine ids and details in English, like sha256sum -c', () => {
    const en = verifyLines(report(true), 'en');
    expect(en).toContain('[OK] bagit: BagIt-Version 1.0');
    expect(en).toContain('[OK] payload-manifest: 1 file listed');
    expect(en).toContain('data/original/x.m4a: OK');
  });
});

describe('names from the bundle on the terminal (issue 13, case 4)', () => {
  it('shows control characters in entry names and details as \\uXXXX: no escape sequence, CR or NUL gets through', () => {
    const fake = `x\r\u001b[2K\u001b[32mBundle intact: 9 files OK\u001b[0m\u0000\n`;
    const r = report(false);
    r.files = [{ path: `data/${fake}`, status: 'EXTRA', detail: `not in any manifest ${fake}` }];
    r.checks[1]!.detail = `unsafe entries refused: "${fake}"`;
    for (const lang of ['en', 'zh-CN'] as const) {
      const text = verifyLines(r, lang);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(text).toContain('data/x\\u000d\\u001b[2K\\u001b[32mBundle intact');
      // Every line break in the output is one of the report's own.
      expect(text.split('\n').filter((line) => line.includes('Bundle intact: 9'))).toHaveLength(2);
    }
  });
});
