// TimeStampReq: v1, certReq, a positive 64-bit nonce, the imprint under the algorithm's OID, and read back.
import { createHash } from 'node:crypto';
import { TimeStampReq } from 'pkijs';
import { describe, expect, it } from 'vitest';
import { hashFromOid, parseStampHash } from '../../src/timestamp/algorithms.js';
import { buildRequest, parseRequest } from '../../src/timestamp/request.js';

describe('buildRequest / parseRequest', () => {
  it.each([
    ['sha256', '2.16.840.1.101.3.4.2.1'],
    ['sm3', '1.2.156.10197.1.401'],
    ['sha512', '2.16.840.1.101.3.4.2.3'],
  ] as const)('%s: OID %s, certReq, nonce; parseRequest reads the same', (hash, oid) => {
    const imprint = createHash(hash).update('bundle').digest('hex');
    const request = buildRequest(hash, imprint);
    const parsed = TimeStampReq.fromBER(new Uint8Array(request.der));
    expect(parsed.version).toBe(1);
    expect(parsed.certReq).toBe(true);
    expect(parsed.messageImprint.hashAlgorithm.algorithmId).toBe(oid);
    expect(parsed.nonce!.toBigInt() > 0n).toBe(true);
    expect(parseRequest(request.der)).toEqual(request);
    expect(hashFromOid(oid)).toBe(hash);
  });

  it('a new nonce every time', () => {
    const imprint = '00'.repeat(32);
    expect(buildRequest('sha256', imprint).nonce).not.toBe(buildRequest('sha256', imprint).nonce);
  });

  it('parses --hash values and refuses others', () => {
    expect(parseStampHash('SM3')).toBe('sm3');
    expect(parseStampHash('sha-256')).toBe('sha256');
    expect(parseStampHash('md5')).toBeUndefined();
    expect(() => parseRequest(Buffer.from('garbage'))).toThrow();
  });
});
