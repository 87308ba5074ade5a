// README-verify's timestamp and "what the checks prove" sections: both languages, names quoted for the
// shell, and the openssl lines, run as written, verify a real timestamp from the local TSA.
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { renderReadme } from '../../src/bundle/readme.js';
import { cli, fixture } from '../helpers.js';
import { HAS_OPENSSL, type LocalTsa, startTsa } from '../timestamp/local-tsa.js';
import { removeTempDirs, tempDir } from './support.js';

const FACTS = {
  bag: "it's rec-evidence",
  zip: "it's rec-evidence.zip",
  originals: ["data/original/it's rec.m4a"],
  packedAt: '2026-01-01T00:00:00.000+08:00',
  tool: 'audio-evidence test',
};

afterAll(removeTempDirs);

describe('README-verify: timestamps and what is proven', () => {
  it('explains openssl ts -verify / -reply with single-quoted names, in both languages', async () => {
    const text = await renderReadme(FACTS);
    const q = "'it'\\''s rec-evidence.zip'";
    expect(text).toContain(
      `openssl ts -verify -data ${q} -in 'it'\\''s rec-evidence.zip.tsr' -CAfile tsa-ca.pem`,
    );
    expect(text).toContain(`openssl ts -reply -in 'it'\\''s rec-evidence.zip.tsr' -text`);
    expect(text).toContain(
      "-data 'it'\\''s rec-evidence'/tagmanifest-sha256.txt -in 'it'\\''s rec-evidence.tsr'",
    );
    expect(text).toContain('六、核验可信时间戳');
    expect(text).toContain('6. Check the trusted timestamp');
    expect(text).toContain('仅凭内部自洽，不能排除他人改动原始录音');
    expect(text).toContain('Consistency alone does not exclude a bundle rebuilt by someone else');
    expect(text).toContain(`audio-evidence verify ${q} --expect`);
  });
});

/** Runs a README line through sh in `cwd` (asynchronously: the TSA answers in this process). */
function sh(line: string, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn('sh', ['-c', line], { cwd });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('close', () => resolve(out));
  });
}

describe.skipIf(!HAS_OPENSSL)('the README lines, run as written (local TSA)', () => {
  let tsa: LocalTsa;
  beforeAll(async () => {
    tsa = await startTsa();
  });
  afterAll(() => tsa.close());

  it('verify the zip and the folder bag timestamps', async () => {
    const dir = tempDir('ae-readme-ts-');
    const source = join(dir, "it's rec.m4a");
    copyFileSync(fixture('originals/rec-a.m4a'), source);
    const [zipped] = await pack([source], { out: join(dir, 'zip'), tsa: [tsa.url] });
    const [folder] = await pack([source], { out: join(dir, 'folder'), zip: false });
    expect(zipped!.timestamp?.stored).toHaveLength(1);
    expect((await cli(['timestamp', folder!.path, '--tsa', tsa.url])).code).toBe(0);
    copyFileSync(tsa.caPem, join(dir, 'zip', 'tsa-ca.pem'));
    copyFileSync(tsa.caPem, join(dir, 'folder', 'tsa-ca.pem'));
    const readme = readFileSync(join(folder!.path, 'meta', 'README-verify.txt'), 'utf8');
    const lines = readme.split('\n').map((l) => l.trim());
    const zipLine = lines.find((l) => l.startsWith('openssl ts -verify -data') && l.includes('.zip.tsr'))!;
    const bagLine = lines.find((l) => l.includes('/tagmanifest-sha256.txt -in'))!;
    const readLine = lines.find((l) => l.startsWith('openssl ts -reply -in'))!;
    expect(await sh(zipLine, join(dir, 'zip'))).toContain('Verification: OK');
    expect(await sh(bagLine, join(dir, 'folder'))).toContain('Verification: OK');
    expect(await sh(readLine, join(dir, 'zip'))).toContain('Time stamp:');
  });
});
