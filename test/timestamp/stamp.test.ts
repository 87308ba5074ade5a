// timestamp: a packed bundle stamped at a local TSA (openssl ts -reply behind a node server); the .tsr
// passes openssl ts -verify; every bad answer exits 2 with nothing written; --request-only round-trips.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TimeStampReq } from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { postTimestampQuery } from '../../src/timestamp/http.js';
import { removeTempDirs, sm3, tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import { closedPortUrl, HAS_OPENSSL, type LocalTsa, startTsa } from './local-tsa.js';

const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

let tsa: LocalTsa;
let packed: string;

beforeAll(async () => {
  if (!HAS_OPENSSL) return;
  tsa = await startTsa();
  const [bundle] = await pack([fixture('originals/rec-a.m4a')], { out: tempDir('ae-stamp-') });
  packed = bundle!.path;
});

afterAll(async () => {
  await tsa?.close();
  removeTempDirs();
});

/** A fresh copy of the packed zip and its sidecar, alone in a folder. */
function zipCopy(): string {
  const copy = join(tempDir('ae-stamp-copy-'), basename(packed));
  copyFileSync(packed, copy);
  copyFileSync(`${packed}.sha256`, `${copy}.sha256`);
  return copy;
}

const listing = (zip: string): string[] => readdirSync(dirname(zip)).sort();

describe.skipIf(!HAS_OPENSSL)('timestamp against a local TSA (needs the openssl CLI)', () => {
  it('stores <zip>.tsr that openssl ts -verify accepts; a second TSA gives .2.tsr', async () => {
    tsa.mode = 'ok';
    const zip = zipCopy();
    const run = await cli(['timestamp', zip, '--tsa', tsa.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${zip}.tsr`);
    expect(run.stdout).toContain('CN=Test TSA');
    const check = spawnSync(
      'openssl',
      ['ts', '-verify', '-data', zip, '-in', `${zip}.tsr`, '-CAfile', tsa.caPem],
      {
        encoding: 'utf8',
      },
    );
    expect(check.stdout + check.stderr).toContain('Verification: OK');
    // The request: SHA-256 imprint, a nonce, certReq.
    const request = TimeStampReq.fromBER(new Uint8Array(tsa.requests.at(-1)!));
    expect(request.certReq).toBe(true);
    expect(request.nonce).toBeDefined();
    expect(request.messageImprint.hashAlgorithm.algorithmId).toBe('2.16.840.1.101.3.4.2.1');

    const again = await cli(['timestamp', zip, '--tsa', tsa.url]);
    expect(again.code).toBe(0);
    expect(listing(zip)).toContain(`${basename(zip)}.2.tsr`);
  });

  it('--hash sm3: the request carries OID 1.2.156.10197.1.401 and the SM3 of the zip; openssl verifies the token', async () => {
    tsa.mode = 'ok';
    const zip = zipCopy();
    const run = await cli(['timestamp', zip, '--tsa', tsa.url, '--hash', 'sm3']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const request = TimeStampReq.fromBER(new Uint8Array(tsa.requests.at(-1)!));
    expect(request.messageImprint.hashAlgorithm.algorithmId).toBe('1.2.156.10197.1.401');
    expect(Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex')).toBe(
      sm3(readFileSync(zip)),
    );
    const check = spawnSync(
      'openssl',
      ['ts', '-verify', '-data', zip, '-in', `${zip}.tsr`, '-CAfile', tsa.caPem],
      {
        encoding: 'utf8',
      },
    );
    expect(check.stdout + check.stderr).toContain('Verification: OK');
    const verified = await cli(['verify', zip, '--tsa-ca', tsa.caPem]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('SM3');
  });

  const failures: Array<[string, LocalTsa['mode'] | 'closed', RegExp]> = [
    ['a wrong nonce', 'wrong-nonce', /another nonce/],
    ['a wrong imprint', 'wrong-imprint', /another hash than the one sent/],
    ['a refusal', 'rejected', /refused the request \(rejection/],
    ['garbage bytes', 'garbage', /not an RFC 3161 timestamp response/],
    ['HTTP 500', 'http-500', /HTTP 500/],
    ['no answer', 'hang', /no answer within 0\.3 s/],
    ['a closed port', 'closed', /cannot be reached \(ECONNREFUSED/],
  ];
  it.each(failures)(
    '%s: exit 2, a clear message, nothing written beside the bundle',
    async (_, mode, message) => {
      const zip = zipCopy();
      const before = listing(zip);
      let url = tsa.url;
      if (mode === 'closed') url = await closedPortUrl();
      else tsa.mode = mode;
      const run = await cli(['timestamp', zip, '--tsa', url, '--timeout', '0.3']);
      tsa.mode = 'ok';
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain(url);
      expect(listing(zip)).toEqual(before);
    },
  );

  it('several TSAs in one run: each good token filed in order, a failing one reported, exit 2', async () => {
    tsa.mode = 'ok';
    const zip = zipCopy();
    const closed = await closedPortUrl();
    const run = await cli(['timestamp', zip, '--tsa', tsa.url, '--tsa', closed, '--tsa', tsa.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`No timestamp from ${closed}`);
    expect(listing(zip).filter((name) => name.endsWith('.tsr'))).toEqual([
      `${basename(zip)}.2.tsr`,
      `${basename(zip)}.tsr`,
    ]);
    expect((await cli(['verify', zip, '--tsa-ca', tsa.caPem])).code).toBe(0);
  });

  it('words a failure in Chinese', async () => {
    tsa.mode = 'http-500';
    const zip = zipCopy();
    const run = await cli(['timestamp', zip, '--tsa', tsa.url], { LANG: 'zh_CN.UTF-8' });
    tsa.mode = 'ok';
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('服务器返回 HTTP 500');
  });

  it('refuses a non-http TSA and a missing bundle with exit 2', async () => {
    const zip = zipCopy();
    expect((await cli(['timestamp', zip, '--tsa', 'ftp://example.invalid/tsr'])).code).toBe(2);
    expect((await cli(['timestamp', `${zip}.missing`, '--tsa', tsa.url])).code).toBe(2);
    expect((await cli(['timestamp', zip])).stderr).toContain('--tsa');
  });

  it('--request-only writes <zip>.tsq and a quoted curl line; --add-response files the answer', async () => {
    tsa.mode = 'ok';
    const dir = join(tempDir('ae-stamp-q-'), "it's here");
    const zip = join(dir, "rec a's-evidence.zip");
    spawnSync('mkdir', ['-p', dir]);
    copyFileSync(packed, zip);
    const requested = await cli(['timestamp', zip, '--request-only', '--tsa', tsa.url]);
    expect(requested.code).toBe(0);
    const quoted = zip.replaceAll("'", "'\\''");
    expect(requested.stdout).toContain(
      `curl --data-binary '@${quoted}.tsq' -H 'Content-Type: application/timestamp-query' '${tsa.url}' > '${quoted}.reply.tsr'`,
    );
    expect(requested.stdout).toContain(`--add-response '${quoted}.reply.tsr'`);
    expect(listing(zip)).toEqual([basename(zip), `${basename(zip)}.tsq`]);
    // Stamped "elsewhere": the printed curl line run by sh (the TSA answers in this process, so the
    // child runs asynchronously); without curl, the same POST made here.
    const response = `${zip}.reply.tsr`;
    const line = requested.stdout.split('\n').find((l) => l.trim().startsWith('curl '))!;
    if (HAS_CURL) {
      const code = await new Promise<number | null>((resolve) =>
        spawn('sh', ['-c', line.trim()], { stdio: 'ignore' }).on('close', resolve),
      );
      expect(code).toBe(0);
    } else writeFileSync(response, await postTimestampQuery(tsa.url, readFileSync(`${zip}.tsq`)));
    const answer = readFileSync(response);
    const filed = await cli(['timestamp', zip, '--add-response', response]);
    expect(filed.stderr).toBe('');
    expect(filed.code).toBe(0);
    expect(readFileSync(`${zip}.tsr`)).toEqual(answer);
    expect((await cli(['verify', zip, '--tsa-ca', tsa.caPem])).code).toBe(0);
    // An answer carrying another nonce is not the answer to the saved request.
    tsa.mode = 'wrong-nonce';
    writeFileSync(response, await postTimestampQuery(tsa.url, readFileSync(`${zip}.tsq`)));
    tsa.mode = 'ok';
    const wrong = await cli(['timestamp', zip, '--add-response', response]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('another nonce');
    // Something that is not an answer at all is refused and not filed.
    const refused = await cli(['timestamp', zip, '--add-response', fixture('originals/rec-a.m4a')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not an RFC 3161 timestamp response');
    expect(listing(zip)).not.toContain(`${basename(zip)}.2.tsr`);
  });
});
