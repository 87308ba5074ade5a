// Reads an RFC 3161 TimeStampResp: status, the TSTInfo's fields, the CMS signature over it, and
// (given trusted CA certificates) the TSA's certificate chain at the token's time.
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  type AttributeTypeAndValue,
  Certificate,
  CertificateChainValidationEngine,
  ContentInfo,
  type ExtKeyUsage,
  type GeneralName,
  type RelativeDistinguishedNames,
  SignedData,
  TimeStampResp,
  TSTInfo,
} from 'pkijs';
import { hashFromOid, type StampHash } from './algorithms.js';
import { integerHex } from './request.js';

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const ID_DATA = '1.2.840.113549.1.7.1';
const ID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const ID_KP_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';
const ID_EXT_KEY_USAGE = '2.5.29.37';

const STATUS_NAMES = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

/** The facts of a token, as read (nothing checked yet). */
export interface TokenInfo {
  /** PKIStatus: 0 granted, 1 granted with modifications. */
  status: number;
  statusName: string;
  /** Free text the TSA put in the status, if any. */
  statusText?: string;
  genTime: Date;
  serialNumber: string;
  policy: string;
  /** OID of the imprint's hash algorithm, and its name when this tool knows it. */
  hashOid: string;
  hash?: StampHash;
  imprint: string;
  nonce?: string;
  /** The TSTInfo's own tsa field, when the TSA filled it. */
  tsaField?: string;
  /** Subject of the certificate that signed the token (found in the token), when present. */
  signer?: string;
}

/** A parsed response, with what verification needs. */
export interface ParsedResponse {
  info: TokenInfo;
  signed: SignedData;
  /** The token (ContentInfo) bytes, for re-parsing a pristine copy. */
  token: ArrayBuffer;
}

/** Thrown when bytes are not a TimeStampResp, or it carries no usable token. */
export class TokenFormatError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-a-response' | 'not-granted' | 'no-token',
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'TokenFormatError';
  }
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function attributeText(attribute: AttributeTypeAndValue): string {
  const block = attribute.value.valueBlock as { value?: unknown };
  const value = typeof block.value === 'string' ? block.value : '?';
  return `${NAMES[attribute.type] ?? attribute.type}=${value}`;
}

/** A distinguished name as one line, most specific first (CN=…, O=…, C=…) the way people read it. */
export function nameText(name: RelativeDistinguishedNames): string {
  return name.typesAndValues.map(attributeText).join(', ');
}

function generalNameText(name: GeneralName): string {
  // 4 = directoryName; 1/2/6 = rfc822Name, dNSName, URI (plain strings).
  if (name.type === 4) return nameText(name.value as RelativeDistinguishedNames);
  return typeof name.value === 'string' ? name.value : `GeneralName type ${name.type}`;
}

function parseToken(token: ContentInfo): { signed: SignedData; tst: TSTInfo } {
  if (token.contentType !== ID_SIGNED_DATA)
    throw new TokenFormatError('the token is not CMS SignedData', 'no-token');
  const signed = new SignedData({ schema: token.content });
  if (signed.encapContentInfo.eContentType !== ID_CT_TSTINFO || !signed.encapContentInfo.eContent)
    throw new TokenFormatError('the token does not hold a TSTInfo', 'no-token');
  const tst = TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  return { signed, tst };
}

function signerCertificate(signed: SignedData): Certificate | undefined {
  const signer = signed.signerInfos[0];
  if (!signer) return undefined;
  const certificates = (signed.certificates ?? []).filter((c): c is Certificate => c instanceof Certificate);
  const sid = signer.sid as unknown;
  for (const certificate of certificates) {
    if (sid instanceof asn1js.Primitive) {
      // subjectKeyIdentifier form ([0] SubjectKeyIdentifier)
      const extension = certificate.extensions?.find((e) => e.extnID === '2.5.29.14');
      const keyId = extension?.parsedValue as asn1js.OctetString | undefined;
      if (
        keyId &&
        Buffer.from(keyId.valueBlock.valueHexView).equals(Buffer.from(sid.valueBlock.valueHexView))
      )
        return certificate;
    } else {
      const byIssuer = sid as { issuer: RelativeDistinguishedNames; serialNumber: asn1js.Integer };
      if (
        certificate.issuer.isEqual(byIssuer.issuer) &&
        certificate.serialNumber.isEqual(byIssuer.serialNumber)
      )
        return certificate;
    }
  }
  return undefined;
}

/** Parses a TimeStampResp (what `.tsr` files hold); throws TokenFormatError when it is unusable. */
export function parseResponse(der: Uint8Array): ParsedResponse {
  let response: TimeStampResp;
  try {
    response = TimeStampResp.fromBER(new Uint8Array(der));
  } catch (error) {
    throw new TokenFormatError(`not a TimeStampResp (${(error as Error).message})`, 'not-a-response');
  }
  const status = response.status.status;
  const statusName = STATUS_NAMES[status] ?? `status ${status}`;
  const statusText = response.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
  if (status !== 0 && status !== 1)
    throw new TokenFormatError(
      `the TSA did not grant the timestamp (${statusName}${statusText ? `: ${statusText}` : ''})`,
      'not-granted',
      { status: statusName, text: statusText ?? '' },
    );
  if (!response.timeStampToken) throw new TokenFormatError('the response holds no token', 'no-token');
  let parsed: { signed: SignedData; tst: TSTInfo };
  try {
    parsed = parseToken(response.timeStampToken);
  } catch (error) {
    if (error instanceof TokenFormatError) throw error;
    throw new TokenFormatError(`the token cannot be read (${(error as Error).message})`, 'no-token');
  }
  const { signed, tst } = parsed;
  const hashOid = tst.messageImprint.hashAlgorithm.algorithmId;
  const hash = hashFromOid(hashOid);
  const certificate = signerCertificate(signed);
  const info: TokenInfo = {
    status,
    statusName,
    genTime: tst.genTime,
    serialNumber: integerHex(tst.serialNumber),
    policy: tst.policy,
    hashOid,
    imprint: Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex'),
  };
  if (statusText) info.statusText = statusText;
  if (hash) info.hash = hash;
  if (tst.nonce) info.nonce = integerHex(tst.nonce);
  if (tst.tsa) info.tsaField = generalNameText(tst.tsa);
  if (certificate) info.signer = nameText(certificate.subject);
  const token = response.timeStampToken.toSchema().toBER(false);
  return { info, signed, token };
}

/** The TSA's name for people: its signing certificate's subject, else the token's tsa field. */
export function tsaName(info: TokenInfo): string {
  return info.signer ?? info.tsaField ?? 'unknown TSA';
}

export interface SignatureCheck {
  valid: boolean;
  detail: string;
  certificate?: Certificate;
}

/**
 * Verifies the CMS signature over the TSTInfo with the signer certificate carried in the token. The
 * imprint itself is compared by the caller (it hashes large files in a stream, and pkijs cannot do SM3).
 */
export async function verifySignature(parsed: ParsedResponse): Promise<SignatureCheck> {
  // A pristine copy, relabelled as plain data so pkijs checks only the signature (and message digest).
  const signed = new SignedData({ schema: ContentInfo.fromBER(parsed.token).content });
  const signer = signed.signerInfos[0];
  if (!signer) return { valid: false, detail: 'the token has no signer' };
  const contentType = signer.signedAttrs?.attributes.find((a) => a.type === ID_CONTENT_TYPE);
  const declared = contentType?.values[0] as asn1js.ObjectIdentifier | undefined;
  if (declared?.valueBlock.toString() !== ID_CT_TSTINFO)
    return { valid: false, detail: 'the signed content-type attribute is not TSTInfo' };
  signed.encapContentInfo.eContentType = ID_DATA;
  try {
    const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true });
    const certificate = result.signerCertificate ?? undefined;
    if (result.signatureVerified === true) {
      // The signed attributes must name this certificate (ESS signing-certificate, RFC 3161 §2.4.1 /
      // RFC 5816): otherwise another certificate with the same key could be put in its place.
      const bound = certificate
        ? essBinding(signer.signedAttrs?.attributes ?? [], certificate)
        : 'no certificate';
      if (bound !== undefined) return { valid: false, detail: bound };
      return { valid: true, detail: 'signature valid', ...(certificate ? { certificate } : {}) };
    }
    return { valid: false, detail: result.message || 'signature does not verify' };
  } catch (error) {
    const message = (error as { message?: string }).message ?? String(error);
    return { valid: false, detail: message };
  }
}

const ID_AA_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const ID_AA_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** Hash names node knows, by the OIDs an ESSCertIDv2 may use. */
const ESS_HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.156.10197.1.401': 'sm3',
};

/**
 * Undefined when the first ESSCertID(v2) of the signed attributes is the hash of `certificate`; else why
 * not. The structures are read with asn1js (v1: SEQUENCE { certs SEQUENCE OF { certHash SHA-1, … } };
 * v2: the same with an optional hash AlgorithmIdentifier, SHA-256 by default, before certHash).
 */
function essBinding(
  attributes: ReadonlyArray<{ type: string; values: unknown[] }>,
  certificate: Certificate,
): string | undefined {
  const v2 = attributes.find((a) => a.type === ID_AA_SIGNING_CERTIFICATE_V2);
  const v1 = attributes.find((a) => a.type === ID_AA_SIGNING_CERTIFICATE);
  const attribute = v2 ?? v1;
  if (!attribute) return 'the token names no signing certificate (ESS signing-certificate attribute missing)';
  const value = attribute.values[0];
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) return 'the ESS signing-certificate attribute cannot be read';
  const [a, b] = first.valueBlock.value;
  let algorithm = v2 ? 'sha256' : 'sha1';
  let hashed = a;
  if (v2 && a instanceof asn1js.Sequence) {
    const oid = a.valueBlock.value[0];
    const name = oid instanceof asn1js.ObjectIdentifier ? ESS_HASHES[oid.valueBlock.toString()] : undefined;
    if (!name) return 'the ESS signing-certificate attribute uses an unknown hash algorithm';
    algorithm = name;
    hashed = b;
  }
  if (!(hashed instanceof asn1js.OctetString)) return 'the ESS signing-certificate attribute cannot be read';
  const der = Buffer.from(certificate.toSchema().toBER(false));
  const actual = createHash(algorithm).update(der).digest();
  return actual.equals(Buffer.from(hashed.valueBlock.valueHexView))
    ? undefined
    : 'the certificate in the token is not the one the signed attributes name (ESS certificate hash differs)';
}

export interface ChainCheck {
  trusted: boolean;
  detail: string;
}

/** Certificates from PEM text (one or many BEGIN CERTIFICATE blocks). */
export function certificatesFromPem(text: string): Certificate[] {
  const out: Certificate[] = [];
  for (const match of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const der = Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
    out.push(Certificate.fromBER(new Uint8Array(der)));
  }
  return out;
}

/**
 * Validates the signer's certificate chain up to one of `trusted` at the token's time, and requires the
 * timeStamping extended key usage on the signer certificate (RFC 3161 §2.3).
 */
export async function validateChain(
  parsed: ParsedResponse,
  signer: Certificate,
  trusted: readonly Certificate[],
): Promise<ChainCheck> {
  const usage = signer.extensions?.find((e) => e.extnID === ID_EXT_KEY_USAGE);
  const purposes = (usage?.parsedValue as ExtKeyUsage | undefined)?.keyPurposes ?? [];
  if (!purposes.includes(ID_KP_TIMESTAMPING))
    return { trusted: false, detail: 'the signing certificate lacks the timeStamping extended key usage' };
  const certificates = (parsed.signed.certificates ?? []).filter(
    (c): c is Certificate => c instanceof Certificate,
  );
  const engine = new CertificateChainValidationEngine({
    trustedCerts: [...trusted],
    certs: [...certificates.filter((c) => c !== signer), signer],
    checkDate: parsed.info.genTime,
  });
  try {
    const result = await engine.verify();
    if (result.result) return { trusted: true, detail: 'certificate chain valid at the token time' };
    return { trusted: false, detail: result.resultMessage || 'certificate chain does not verify' };
  } catch (error) {
    const message =
      (error as { resultMessage?: string; message?: string }).resultMessage ?? (error as Error).message;
    return { trusted: false, detail: message ?? String(error) };
  }
}
