import { describe, expect, it } from 'vitest';
import { verifyLines } from '../../src/verify/terminal.js';
import type { VerifyReport } from '../../src/verify/verify.js';

function report(ok: boolean): VerifyReport {
  return {
    path: '/tmp/x-evidence.zip',
    kind: 'zip',
    bag: 'x-evidence',
    ok,
    files: [{ path: 'data/original/x.m4a', status: ok ? 'OK' : 'CHANGED' }] as VerifyReport['files'],
    checks: [
      { id: 'bagit', ok: true, detail: 'BagIt-Version 1.0, Tag-File-Character-Encoding UTF-8' },
      { id: 'payload-manifest', ok, detail: ok ? '1 file listed' : 'data/original/x.m4a: SHA-256 differs' },
    ] as VerifyReport['checks'],
    summary: { OK: ok ? 1 : 0, CHANGED: ok ? 0 : 1, MISSING: 0, EXTRA: 0 },
  };
}

describe('verify on the terminal', () => {
  it('names every bag check in Chinese, with the technical detail only where a check failed', () => {
    const zh = verifyLines(report(false), 'zh-CN');
    expect(zh).toContain('[通过] BagIt 声明文件（bagit.txt）\n');
    expect(zh).toContain(
      '[未通过] 数据文件清单（manifest-sha256.txt）：data/original/x.m4a: SHA-256 differs',
    );
    expect(zh).toContain('data/original/x.m4a: CHANGED');
  });

  it('keeps the machine ids and details in English, like sha256sum -c', () => {
    const en = verifyLines(report(true), 'en');
    expect(en).toContain('[OK] bagit: BagIt-Version 1.0');
    expect(en).toContain('[OK] payload-manifest: 1 file listed');
    expect(en).toContain('data/original/x.m4a: OK');
  });
});
