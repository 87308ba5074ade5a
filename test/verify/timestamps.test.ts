// verify with timestamps and --expect: the time, the TSA, "trusted" or "chain not checked", a changed
// zip failing against its timestamp, a rebuilt (re-hashed) bundle caught only by an outside anchor,
// and the plain statement of what consistency alone cannot prove.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { removeTempDirs, sha256, sm3, tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import { HAS_OPENSSL, type LocalTsa, startTsa } from '../timestamp/local-tsa.js';
import { rehashBundle } from './rehash.js';

let tsa: LocalTsa;
let zip: string;
let bag: string;
let originalPath: string;

const ORIGINAL = 'data/original/rec-a.m4a';

beforeAll(async () => {
  const base = tempDir('ae-vts-');
  const [zipped] = await pack([fixture('originals/rec-a.m4a')], { out: join(base, 'zip') });
  const [folder] = await pack([fixture('originals/rec-a.m4a')], { out: join(base, 'folder'), zip: false });
  zip = zipped!.path;
  bag = folder!.path;
  originalPath = join(bag, ORIGINAL);
  if (HAS_OPENSSL) tsa = await startTsa();
});

afterAll(async () => {
  await tsa?.close();
  removeTempDirs();
});

function zipCopy(): string {
  const copy = join(tempDir('ae-vts-copy-'), basename(zip));
  copyFileSync(zip, copy);
  copyFileSync(`${zip}.sha256`, `${copy}.sha256`);
  return copy;
}

describe('without outside anchors', () => {
  it('says, in English, that consistency alone does not exclude a rebuilt bundle', async () => {
    const run = await cli(['verify', zip]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Every file matches the manifests (the bundle is internally consistent)');
    expect(run.stdout).toContain('consistency alone does not exclude a bundle rebuilt by someone else');
    expect(run.stdout).toContain(sha256(readFileSync(originalPath)));
  });

  it('and in Chinese', async () => {
    const run = await cli(['verify', zip], { LANG: 'zh_CN.UTF-8' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('每个文件都与清单一致（证据包内部自洽）');
    expect(run.stdout).toContain('内部自洽本身并不能排除');
    expect(run.stdout).toContain('证据目录');
  });

  it('--json carries timestamps [] and proof', async () => {
    const run = await cli(['verify', zip, '--json']);
    const report = JSON.parse(run.stdout) as { timestamps: unknown[]; proof: Record<string, unknown> };
    expect(report.timestamps).toEqual([]);
    expect(report.proof).toEqual({
      consistent: true,
      anchored: false,
      timestamps: 0,
      originalSha256: sha256(readFileSync(originalPath)),
    });
  });
});

describe('--expect', () => {
  it("matches the zip's SHA-256 and says so", async () => {
    const value = sha256(readFileSync(zip));
    const run = await cli(['verify', zip, '--expect', value.toUpperCase()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`The zip: its SHA-256 equals the value you gave (--expect ${value})`);
    expect(run.stdout).not.toContain('consistency alone');
  });

  it("matches the sealed original's SM3", async () => {
    const value = sm3(readFileSync(originalPath));
    const report = await verify(zip, { expect: value });
    expect(report.ok).toBe(true);
    expect(report.expect).toEqual({
      value,
      matched: true,
      matches: [{ what: 'original', path: ORIGINAL, algorithm: 'sm3' }],
    });
    expect(report.proof?.anchored).toBe(true);
  });

  it('no match: a failed check, exit 1; a malformed value: exit 2', async () => {
    const run = await cli(['verify', zip, '--expect', '0'.repeat(64)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAILED: neither the zip nor any sealed original has the value you gave');
    const bad = await cli(['verify', zip, '--expect', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('64 hex digits');
  });
});

describe('a re-hashed bundle (original changed, every manifest and the .sha256 recomputed)', () => {
  let rebuilt: string;
  let oldSha256: string;
  let oldZipTsr: Buffer | undefined;

  beforeAll(async () => {
    oldSha256 = sha256(readFileSync(originalPath));
    const dir = tempDir('ae-rehash-');
    const copy = join(dir, 'rec-a-evidence');
    cpSync(bag, copy, { recursive: true });
    rebuilt = join(dir, basename(zip));
    rehashBundle(copy, ORIGINAL, { zip: rebuilt, top: 'rec-a-evidence' });
    if (HAS_OPENSSL) {
      const genuine = zipCopy();
      const stamped = await cli(['timestamp', genuine, '--tsa', tsa.url]);
      expect(stamped.code).toBe(0);
      oldZipTsr = readFileSync(`${genuine}.tsr`);
    }
  });

  it('is internally consistent: verify alone passes, and says that this cannot be ruled out', async () => {
    const run = await cli(['verify', rebuilt]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('consistency alone does not exclude a bundle rebuilt by someone else');
  });

  it('fails verify --expect <the SHA-256 in the filed evidence list>', async () => {
    const run = await cli(['verify', rebuilt, '--expect', oldSha256]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[FAILED] expect');
  });

  it.skipIf(!HAS_OPENSSL)('fails against the timestamp of the genuine zip', async () => {
    writeFileSync(`${rebuilt}.tsr`, oldZipTsr!);
    const run = await cli(['verify', rebuilt, '--tsa-ca', tsa.caPem]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`FAILED: the timestamp ${rebuilt}.tsr (issued by CN=Test TSA, O=Local Test`);
    expect(run.stdout).toContain('the bundle changed after it was stamped');
  });
});

describe.skipIf(!HAS_OPENSSL)('timestamps beside the bundle (local TSA, openssl CLI)', () => {
  let stamped: string;

  beforeAll(async () => {
    stamped = zipCopy();
    expect((await cli(['timestamp', stamped, '--tsa', tsa.url])).code).toBe(0);
  });

  it('with --tsa-ca: OK, the time in local and UTC, the TSA, "trusted"', async () => {
    const run = await cli(['verify', stamped, '--tsa-ca', tsa.caPem]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Timestamp .*\.zip\.tsr: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ UTC\), issued by CN=Test TSA, O=Local Test, SHA-256; imprint matches the bundle now; signature valid; TSA certificate chain trusted/,
    );
    expect(run.stdout).toContain("The zip's SHA-256 equals the value in the timestamp issued by CN=Test TSA");
    expect(run.stdout).not.toContain('consistency alone');
  });

  it('without --tsa-ca: "signature valid, chain not checked"', async () => {
    const run = await cli(['verify', stamped]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('signature valid, chain not checked');
    const zh = await cli(['verify', stamped], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stdout).toContain('签名有效，未核验证书链');
  });

  it('a CA that did not issue the TSA certificate: not trusted, exit 1', async () => {
    const run = await cli(['verify', stamped, '--tsa-ca', tsa.otherCaPem]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('TSA certificate chain NOT trusted');
  });

  it('--json carries each timestamp', async () => {
    const run = await cli(['verify', stamped, '--json', '--tsa-ca', tsa.caPem]);
    const report = JSON.parse(run.stdout) as { timestamps: Array<Record<string, unknown>>; proof: unknown };
    expect(report.timestamps).toHaveLength(1);
    expect(report.timestamps[0]).toMatchObject({
      file: `${stamped}.tsr`,
      ok: true,
      tsa: 'CN=Test TSA, O=Local Test',
      hashAlgorithm: 'sha256',
      subject: 'zip',
      imprint: sha256(readFileSync(stamped)),
      imprintMatches: true,
      signature: 'valid',
      chain: 'trusted',
    });
    expect(report.timestamps[0]!['time']).toMatch(/Z$/);
    expect(report.proof).toMatchObject({ consistent: true, anchored: true, timestamps: 1 });
  });

  it('one changed byte in the zip: exit 1, the timestamp named', async () => {
    const changed = zipCopy();
    copyFileSync(`${stamped}.tsr`, `${changed}.tsr`);
    const bytes = readFileSync(changed);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
    writeFileSync(changed, bytes);
    const run = await cli(['verify', changed]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[FAILED\] timestamp: .*\.zip\.tsr \(issued by CN=Test TSA/);
    expect(run.stdout).toContain("the zip's SHA-256 now differs from the value in it");
  });

  it('a token altered after it was signed (its time moved): signature invalid, exit 1', async () => {
    const copy = zipCopy();
    const token = readFileSync(`${stamped}.tsr`);
    const year = String(new Date().getUTCFullYear());
    // The TSTInfo's genTime is a GeneralizedTime "YYYYMMDDhhmmssZ"; the signing-time attribute is a
    // UTCTime "YYMMDD…", so the four-digit year is found only in the TSTInfo.
    const at = token.indexOf(Buffer.from(`${year}`));
    expect(at).toBeGreaterThan(0);
    token[at + 3] = token[at + 3]! === 0x39 ? 0x38 : token[at + 3]! + 1;
    writeFileSync(`${copy}.tsr`, token);
    const run = await cli(['verify', copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('signature INVALID');
  });

  it('a folder bag: stamped over tagmanifest-sha256.txt, filed as <bag>.tsr beside it', async () => {
    const dir = tempDir('ae-vts-bag-');
    const copy = join(dir, 'rec-a-evidence');
    cpSync(bag, copy, { recursive: true });
    const run = await cli(['timestamp', copy, '--tsa', tsa.url]);
    expect(run.code).toBe(0);
    const check = spawnSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-data',
        join(copy, 'tagmanifest-sha256.txt'),
        '-in',
        `${copy}.tsr`,
        '-CAfile',
        tsa.caPem,
      ],
      { encoding: 'utf8' },
    );
    expect(check.stdout + check.stderr).toContain('Verification: OK');
    const verified = await cli(['verify', copy, '--tsa-ca', tsa.caPem]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('tagmanifest-sha256.txt, which pins every file');
  });

  it('a FIFO named like a .tsr is not opened; it is reported and fails the check', async () => {
    const copy = zipCopy();
    const fifo = spawnSync('mkfifo', [`${copy}.tsr`]);
    if (fifo.status !== 0) return;
    const run = await cli(['verify', copy]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('not a regular file');
  });
});
