// pack --tsa: the last step of packing. A TSA that answers: <zip>.tsr beside the zip; one that fails
// after a good pack: the bundle stays, the error is reported, exit 2.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import { closedPortUrl, HAS_OPENSSL, type LocalTsa, startTsa } from './local-tsa.js';

let tsa: LocalTsa;

beforeAll(async () => {
  if (HAS_OPENSSL) tsa = await startTsa();
});

afterAll(async () => {
  await tsa?.close();
  removeTempDirs();
});

describe.skipIf(!HAS_OPENSSL)('pack --tsa (local TSA, openssl CLI)', () => {
  it('stamps the zip it has just packed', async () => {
    const out = tempDir('ae-pack-tsa-');
    const run = await cli(['pack', fixture('originals/rec-a.m4a'), '--out', out, '--tsa', tsa.url]);
    expect(run.code).toBe(0);
    // The editable forms sit beside the zip too, outside the seal and outside the timestamp.
    expect(readdirSync(out).sort()).toEqual([
      'rec-a-evidence-forms',
      'rec-a-evidence.zip',
      'rec-a-evidence.zip.sha256',
      'rec-a-evidence.zip.tsr',
    ]);
    expect(run.stdout).toContain('Timestamp from');
    const verified = await cli(['verify', join(out, 'rec-a-evidence.zip'), '--tsa-ca', tsa.caPem]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('TSA certificate chain trusted');
  });

  it('a TSA that cannot be reached: the bundle stays, the error is reported, exit 2', async () => {
    const out = tempDir('ae-pack-tsa-');
    const url = await closedPortUrl();
    const run = await cli(['pack', fixture('originals/rec-a.m4a'), '--out', out, '--tsa', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`No timestamp from ${url}: the server cannot be reached`);
    expect(existsSync(join(out, 'rec-a-evidence.zip'))).toBe(true);
    expect(readdirSync(out).sort()).toEqual([
      'rec-a-evidence-forms',
      'rec-a-evidence.zip',
      'rec-a-evidence.zip.sha256',
    ]);
    expect((await cli(['verify', join(out, 'rec-a-evidence.zip')])).code).toBe(0);
  });

  it('a --tsa that is not an http(s) URL stops before packing', async () => {
    const out = tempDir('ae-pack-tsa-');
    const run = await cli([
      'pack',
      fixture('originals/rec-a.m4a'),
      '--out',
      out,
      '--tsa',
      'file:///etc/passwd',
    ]);
    expect(run.code).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });
});
