// verify's outside anchors: RFC 3161 timestamps filed beside the bundle (.tsr) and a hash the user
// expects (--expect). Consistency alone proves the bundle agrees with itself; these say against what.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Certificate } from 'pkijs';
import { TAG_MANIFEST } from '../bundle/bagit.js';
import { isoWithOffset } from '../bundle/time.js';
import { AudioEvidenceError } from '../errors.js';
import { type HashAlgo, hashFile } from '../hash/digest.js';
import { hashLabel, type StampHash } from '../timestamp/algorithms.js';
import { listSidecars, readSmallFile } from '../timestamp/files.js';
import {
  certificatesFromPem,
  type ParsedResponse,
  parseResponse,
  tsaName,
  validateChain,
  verifySignature,
} from '../timestamp/token.js';
import type { CheckResult, Evaluation } from './evaluate.js';
import type { Scan } from './scan.js';

/** One `.tsr` beside the bundle, as verify found it (the `timestamps` array of `verify --json`). */
export interface TimestampCheck {
  /** Path of the .tsr file. */
  file: string;
  /** The imprint matches the bundle now, the signature verifies, and the chain (when checked) is trusted. */
  ok: boolean;
  /** The TSA's time, ISO-8601 UTC. */
  time?: string;
  /** The same moment in this machine's local time with its offset. */
  timeLocal?: string;
  /** The TSA's name: subject of the certificate that signed the token (else the token's tsa field). */
  tsa?: string;
  /** The token's own tsa field, when present. */
  tsaField?: string;
  serialNumber?: string;
  policy?: string;
  /** sha256, sm3, sha512, or the OID of an algorithm this tool cannot recompute. */
  hashAlgorithm?: string;
  /** What the imprint is over: the zip, or the bag's tagmanifest-sha256.txt. */
  subject: 'zip' | 'tag-manifest';
  imprint?: string;
  imprintMatches?: boolean;
  signature: 'valid' | 'invalid' | 'not-checked';
  signatureDetail?: string;
  /** trusted: the chain validates to a --tsa-ca certificate at the token's time (timeStamping EKU required). */
  chain: 'trusted' | 'untrusted' | 'not-checked';
  chainDetail?: string;
  /** Why the file could not be used at all (not a regular file, too large, not a granted response). */
  problem?: string;
}

/** verify --expect: which of the bundle's digests equals the value given. */
export interface ExpectCheck {
  value: string;
  matched: boolean;
  matches: Array<{ what: 'zip' | 'tag-manifest' | 'original'; path: string; algorithm: 'sha256' | 'sm3' }>;
}

/** What verify proved, and against what (the `proof` object of `verify --json`). */
export interface Proof {
  /** Every file matches the manifests and every bag-level check passed. */
  consistent: boolean;
  /** A timestamp or an --expect value ties the bundle to something outside it, and none failed. */
  anchored: boolean;
  /** How many timestamps vouch for the bundle as it is now. */
  timestamps: number;
  /** The --expect value matched (absent without --expect). */
  expected?: boolean;
  /** SHA-256 of the (first) sealed original: the value to compare with the filed evidence list. */
  originalSha256?: string;
}

/** Ids of checks that are not about the bundle agreeing with itself. */
const OUTSIDE = new Set(['timestamp', 'expect', 'original']);

/** The proof summary of a finished report. */
export function proofOf(
  report: {
    files: ReadonlyArray<{ status: string; path: string }>;
    checks: readonly CheckResult[];
    timestamps?: readonly TimestampCheck[];
    expect?: ExpectCheck;
  },
  evaluation: Evaluation,
): Proof {
  const consistent =
    report.files.every((f) => f.status === 'OK') &&
    report.checks.filter((c) => !OUTSIDE.has(c.id)).every((c) => c.ok);
  const timestamps = report.timestamps ?? [];
  const vouching = timestamps.filter((ts) => ts.ok).length;
  const failed = timestamps.some((ts) => !ts.ok) || report.expect?.matched === false;
  const proof: Proof = {
    consistent,
    anchored: !failed && (vouching > 0 || report.expect?.matched === true),
    timestamps: vouching,
  };
  if (report.expect) proof.expected = report.expect.matched;
  const original = [...evaluation.expected.values()].find(
    (e) => e.path.startsWith('data/original/') && e.sha256,
  );
  if (original?.sha256) proof.originalSha256 = original.sha256;
  return proof;
}

export interface AnchorOptions {
  /** PEM files of CA certificates trusted to issue TSA certificates. */
  tsaCa?: readonly string[];
  /** A SHA-256 or SM3 value (64 hex digits) the bundle or an original must have. */
  expect?: string;
}

export interface Anchors {
  timestamps: TimestampCheck[];
  expect?: ExpectCheck;
  checks: CheckResult[];
}

const usage = (detail: string) => new AudioEvidenceError('usage', detail, { params: { detail } });

/** True for a value --expect accepts. */
export const isExpectValue = (value: string): boolean => /^[0-9a-fA-F]{64}$/.test(value.trim());

async function loadTrusted(files: readonly string[]): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const file of files) {
    let certificates: Certificate[];
    try {
      certificates = certificatesFromPem(await readFile(file, 'utf8'));
    } catch (error) {
      throw usage(`--tsa-ca ${file}: no PEM certificate could be read (${(error as Error).message})`);
    }
    if (certificates.length === 0) throw usage(`--tsa-ca ${file}: no PEM certificate in it`);
    out.push(...certificates);
  }
  return out;
}

const utc = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

async function readToken(
  file: string,
  subject: TimestampCheck['subject'],
): Promise<{ check: TimestampCheck; parsed?: ParsedResponse }> {
  const check: TimestampCheck = { file, ok: false, subject, signature: 'not-checked', chain: 'not-checked' };
  try {
    const parsed = parseResponse(await readSmallFile(file));
    const { info } = parsed;
    check.time = utc(info.genTime);
    check.timeLocal = isoWithOffset(info.genTime);
    check.tsa = tsaName(info);
    if (info.tsaField) check.tsaField = info.tsaField;
    check.serialNumber = info.serialNumber;
    check.policy = info.policy;
    check.hashAlgorithm = info.hash ?? info.hashOid;
    check.imprint = info.imprint;
    return { check, parsed };
  } catch (error) {
    check.problem = (error as Error).message;
    return { check };
  }
}

/**
 * Reads every `.tsr` beside the bundle and checks it against the bundle now, and --expect against the
 * zip's (or tag manifest's) digests and the sealed originals'. Throws only on unusable options.
 */
export async function checkAnchors(
  path: string,
  scan: Scan,
  evaluation: Evaluation,
  options: AnchorOptions = {},
): Promise<Anchors> {
  const expect = options.expect?.trim().toLowerCase();
  if (expect !== undefined && !isExpectValue(expect))
    throw usage(`--expect takes a SHA-256 or SM3 value (64 hex digits), not "${options.expect}"`);
  const trusted = options.tsaCa?.length ? await loadTrusted(options.tsaCa) : undefined;
  const base = scan.kind === 'zip' ? path : path.replace(/[/\\]+$/, '');
  const data = scan.kind === 'zip' ? path : join(base, TAG_MANIFEST);
  const subject: TimestampCheck['subject'] = scan.kind === 'zip' ? 'zip' : 'tag-manifest';

  const read = await Promise.all((await listSidecars(base, 'tsr')).map((file) => readToken(file, subject)));
  const algos = new Set<HashAlgo>(expect ? ['sha256', 'sm3'] : []);
  for (const { parsed } of read) if (parsed?.info.hash) algos.add(parsed.info.hash);
  const digests: Partial<Record<HashAlgo, string>> =
    algos.size > 0 ? (await hashFile(data, [...algos]).catch(() => ({ digests: {} }))).digests : {};

  const checks: CheckResult[] = [];
  const timestamps: TimestampCheck[] = [];
  for (const { check, parsed } of read) {
    timestamps.push(check);
    const name = basename(check.file);
    if (!parsed) {
      checks.push({ id: 'timestamp', ok: false, detail: `${name}: cannot be used (${check.problem})` });
      continue;
    }
    const hash = parsed.info.hash as StampHash | undefined;
    const now = hash ? digests[hash] : undefined;
    check.imprintMatches = now !== undefined && now === parsed.info.imprint;
    const signature = await verifySignature(parsed);
    check.signature = signature.valid ? 'valid' : 'invalid';
    if (!signature.valid) check.signatureDetail = signature.detail;
    if (trusted && signature.valid && signature.certificate) {
      const chain = await validateChain(parsed, signature.certificate, trusted);
      check.chain = chain.trusted ? 'trusted' : 'untrusted';
      check.chainDetail = chain.detail;
    }
    check.ok = check.imprintMatches && signature.valid && check.chain !== 'untrusted';
    const what = subject === 'zip' ? "the zip's" : `${TAG_MANIFEST}'s`;
    const algo = hash ? hashLabel(hash) : parsed.info.hashOid;
    const by = `issued by ${check.tsa} at ${check.time}`;
    const problems: string[] = [];
    if (!hash) problems.push(`its hash algorithm ${parsed.info.hashOid} is not one this tool can recompute`);
    else if (!check.imprintMatches)
      problems.push(`${what} ${algo} now differs from the value in it (${parsed.info.imprint})`);
    if (!signature.valid) problems.push(`signature invalid (${signature.detail})`);
    if (check.chain === 'untrusted')
      problems.push(`TSA certificate chain not trusted (${check.chainDetail})`);
    checks.push({
      id: 'timestamp',
      ok: check.ok,
      detail: check.ok
        ? `${name}: ${what} ${algo} equals the value in the timestamp ${by}; ${check.chain === 'trusted' ? 'TSA certificate chain trusted' : 'signature valid, chain not checked'}`
        : `${name} (${by}): ${problems.join('; ')}`,
    });
  }

  const anchors: Anchors = { timestamps, checks };
  if (expect) {
    const result: ExpectCheck = { value: expect, matched: false, matches: [] };
    for (const algorithm of ['sha256', 'sm3'] as const)
      if (digests[algorithm] === expect)
        result.matches.push({
          what: subject,
          path: scan.kind === 'zip' ? basename(path) : TAG_MANIFEST,
          algorithm,
        });
    for (const sealed of evaluation.expected.values()) {
      if (!sealed.path.startsWith('data/original/')) continue;
      for (const algorithm of ['sha256', 'sm3'] as const)
        if (sealed[algorithm] === expect)
          result.matches.push({ what: 'original', path: sealed.path, algorithm });
    }
    result.matched = result.matches.length > 0;
    anchors.expect = result;
    checks.push({
      id: 'expect',
      ok: result.matched,
      detail: result.matched
        ? result.matches
            .map(
              (m) =>
                `the ${m.what === 'original' ? `sealed original ${m.path}` : m.path}'s ${hashLabel(m.algorithm)} equals ${expect}`,
            )
            .join('; ')
        : `no SHA-256 or SM3 of the ${subject === 'zip' ? 'zip' : 'tag manifest'} or of a sealed original equals ${expect}`,
    });
  }
  return anchors;
}
