// RFC 3161 TimeStampReq: built over a digest (with a random nonce and certReq), and read back from a .tsq.
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AlgorithmIdentifier, MessageImprint, TimeStampReq } from 'pkijs';
import { hashFromOid, hashOid, type StampHash } from './algorithms.js';

/** What a request asks for: the three things a response must echo. */
export interface StampRequest {
  hash: StampHash;
  /** Lower-case hex digest of the stamped file. */
  imprint: string;
  /** The nonce as a decimal-free hex string of its value (no leading zero bytes). */
  nonce: string;
  /** The DER bytes sent to the TSA. */
  der: Buffer;
}

/** Hex of a non-negative integer's value, without leading zeros (so encodings compare equal). */
export function integerHex(value: asn1js.Integer): string {
  const big = value.toBigInt();
  return big < 0n ? `-${(-big).toString(16)}` : big.toString(16);
}

/** A TimeStampReq (v1, certReq true, 64-bit nonce) over `imprint` (hex) made with `hash`. */
export function buildRequest(hash: StampHash, imprint: string): StampRequest {
  const nonceBytes = randomBytes(8);
  // Positive and of full length: DER would otherwise read the top bit as a sign.
  nonceBytes[0] = (nonceBytes[0]! & 0x7f) | 0x40;
  const nonce = new asn1js.Integer({ valueHex: new Uint8Array(nonceBytes) });
  const request = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({
        algorithmId: hashOid(hash),
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(Buffer.from(imprint, 'hex')) }),
    }),
    nonce,
    certReq: true,
  });
  const der = Buffer.from(request.toSchema().toBER(false));
  return { hash, imprint, nonce: integerHex(nonce), der };
}

/** Reads a .tsq this tool (or openssl ts -query) wrote; throws when it is not a TimeStampReq we can use. */
export function parseRequest(der: Uint8Array): StampRequest {
  const request = TimeStampReq.fromBER(new Uint8Array(der));
  const oid = request.messageImprint.hashAlgorithm.algorithmId;
  const hash = hashFromOid(oid);
  if (!hash) throw new Error(`the request's hash algorithm ${oid} is not one of SHA-256, SM3, SHA-512`);
  if (!request.nonce) throw new Error('the request has no nonce');
  return {
    hash,
    imprint: Buffer.from(request.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex'),
    nonce: integerHex(request.nonce),
    der: Buffer.from(der),
  };
}
