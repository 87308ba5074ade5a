// Offline verification of a bundle (zip or bag folder): every file hashed in place against the
// manifests, bag-level checks, the zip's .sha256 sidecar, and optionally a file compared with the original.
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BAG_INFO_FILE,
  EVIDENCE_JSON,
  PAYLOAD_MANIFEST,
  parseTags,
  SM3_SUMS,
  tagValues,
} from '../bundle/bagit.js';
import { AudioEvidenceError, InputError } from '../errors.js';
import { hashFile } from '../hash/digest.js';
import { checkPath, resolveInput } from '../input.js';
import { type CheckResult, type Evaluation, evaluate, type FileResult, type FileStatus } from './evaluate.js';
import type { Scan } from './scan.js';
import { scanFolder } from './scan-folder.js';
import { scanZip } from './scan-zip.js';
import { checkAnchors, type ExpectCheck, type Proof, proofOf, type TimestampCheck } from './timestamps.js';

export type { CheckResult, FileResult, FileStatus } from './evaluate.js';

export interface VerifyOptions {
  /** A file (e.g. the recording still on the phone) to compare with the bundled original. */
  original?: string;
  /** PEM files of CA certificates trusted to issue TSA certificates (checks each .tsr's chain). */
  tsaCa?: readonly string[];
  /** A SHA-256 or SM3 value the zip or a sealed original must have (`--expect`). */
  expect?: string;
}

/**
 * An outside file (the recording still on the phone) compared with what was sealed at packing time: the
 * SHA-256 and SM3 recorded in bag-info.txt and meta/evidence.json (the manifests where those are absent),
 * never with the bundled copy's current bytes. Whether that copy still matches the seal is said apart.
 */
export interface OriginalComparison {
  path: string;
  /** The file's SHA-256 and SM3 equal those sealed for one original of the bundle. */
  identical: boolean;
  sha256: string;
  sm3: string;
  /** Bag path of the sealed original it equals. */
  matches?: string;
  /** Where the sealed digests it was compared with are recorded. */
  sealedIn?: string;
  /** Whether the bundled copy of that original still has the sealed digests (its file status is OK). */
  bundledCopyIntact?: boolean;
  /** Originals of the bundle that carry sealed digests (none: nothing to compare with). */
  sealedOriginals: number;
}

export interface VerifyReport {
  path: string;
  kind: 'zip' | 'folder';
  /** Name of the bag folder. */
  bag: string;
  /** True when every file is OK and every check passed (the --original comparison included). */
  ok: boolean;
  /** True when the bundle itself is intact: every file OK and every check of the bundle passed. */
  bundleOk: boolean;
  files: FileResult[];
  checks: CheckResult[];
  summary: Record<FileStatus, number>;
  original?: OriginalComparison;
  /** Every .tsr beside the bundle (empty when there is none). */
  timestamps?: TimestampCheck[];
  /** Present with `expect`. */
  expect?: ExpectCheck;
  /** What the checks prove and against what. */
  proof?: Proof;
}

const SIDECAR_LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/** A sidecar is one sha256sum line (about 100 bytes); anything much larger is not one. */
const SIDECAR_LIMIT = 64 * 1024;

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * The sidecar's text, or why it cannot be trusted as one. Opened without blocking (a FIFO would wait for
 * a writer forever) and read only when the opened file is a regular file of sane size: a directory, a
 * device (a link to /dev/zero), a FIFO or an unreadable file is reported, never taken for "absent".
 */
async function readSidecar(path: string): Promise<{ text: string } | { absent: true } | { problem: string }> {
  try {
    await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { absent: true };
    return { problem: `cannot be examined (${reason(error)})` };
  }
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: `is present but cannot be read (${reason(error)})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'is present but not a regular file' };
    if (info.size > SIDECAR_LIMIT) return { problem: `is ${info.size} bytes, not a one-line checksum file` };
    const buffer = Buffer.alloc(SIDECAR_LIMIT + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > SIDECAR_LIMIT) return { problem: 'grew while it was read' };
    return { text: buffer.subarray(0, bytesRead).toString('utf8') };
  } catch (error) {
    return { problem: `is present but cannot be read (${reason(error)})` };
  } finally {
    await handle.close();
  }
}

/** The `<zip>.sha256` next to the zip, when there is one: its digest must be the zip's. */
async function checkSidecar(zipPath: string): Promise<CheckResult> {
  const id = 'zip-sidecar';
  const sidecar = `${zipPath}.sha256`;
  const read = await readSidecar(sidecar);
  if ('absent' in read)
    return { id, ok: true, detail: `no ${basename(sidecar)} next to the zip; not checked` };
  if ('problem' in read) return { id, ok: false, detail: `${basename(sidecar)} ${read.problem}` };
  const text = read.text;
  const line = text.split('\n')[0]?.replace(/\r$/, '') ?? '';
  const match = SIDECAR_LINE.exec(line);
  if (!match) return { id, ok: false, detail: `${basename(sidecar)} is not a sha256sum line` };
  const { digests } = await hashFile(zipPath, ['sha256']);
  const declared = match[1]!.toLowerCase();
  const named = match[2]!;
  if (declared !== digests.sha256)
    return {
      id,
      ok: false,
      detail: `the zip's SHA-256 ${digests.sha256} differs from ${declared} in ${basename(sidecar)}`,
    };
  const note = named === basename(zipPath) ? '' : ` (the sidecar names it "${named}")`;
  return { id, ok: true, detail: `SHA-256 of the zip matches ${basename(sidecar)}${note}` };
}

interface SealedOriginal {
  path: string;
  sha256: string;
  sm3: string;
  source: string;
}

/** The digests of each original as sealed at packing: bag-info.txt, else evidence.json, else the manifests. */
function sealedOriginals(scan: Scan, evaluation: Evaluation): SealedOriginal[] {
  const byPath = new Map<string, SealedOriginal>();
  const text = (name: string) => scan.files.find((file) => file.path === name)?.text;
  const add = (path: string, sha256: unknown, sm3: unknown, source: string) => {
    const key = path.normalize('NFC');
    if (!path.startsWith('data/original/') || byPath.has(key)) return;
    if (typeof sha256 !== 'string' || typeof sm3 !== 'string') return;
    byPath.set(key, { path, sha256: sha256.toLowerCase(), sm3: sm3.toLowerCase(), source });
  };
  const bagInfo = text(BAG_INFO_FILE);
  if (bagInfo !== undefined) {
    const tags = parseTags(bagInfo);
    const sha256 = tagValues(tags, 'Evidence-SHA256');
    const sm3 = tagValues(tags, 'Evidence-SM3');
    tagValues(tags, 'Evidence-Path').forEach((path, i) => {
      add(path, sha256[i], sm3[i], BAG_INFO_FILE);
    });
  }
  const record = text(EVIDENCE_JSON);
  if (record !== undefined) {
    try {
      const items = (JSON.parse(record) as { items?: unknown }).items;
      if (Array.isArray(items))
        for (const item of items as Array<{ bagPath?: unknown; sha256?: unknown; sm3?: unknown }>)
          if (typeof item.bagPath === 'string') add(item.bagPath, item.sha256, item.sm3, EVIDENCE_JSON);
    } catch {
      // An unreadable record is reported by the evidence-record check.
    }
  }
  for (const sealed of evaluation.expected.values())
    add(sealed.path, sealed.sha256, sealed.sm3, `${PAYLOAD_MANIFEST} and ${SM3_SUMS}`);
  return [...byPath.values()];
}

async function compareOriginal(
  given: string,
  scan: Scan,
  evaluation: Evaluation,
): Promise<{ comparison: OriginalComparison; check: CheckResult }> {
  const input = await resolveInput(given);
  const { digests } = await hashFile(input.path, ['sha256', 'sm3']);
  const sealed = sealedOriginals(scan, evaluation);
  const match = sealed.find((c) => c.sha256 === digests.sha256 && c.sm3 === digests.sm3);
  const comparison: OriginalComparison = {
    path: given,
    identical: match !== undefined,
    sha256: digests.sha256,
    sm3: digests.sm3,
    sealedOriginals: sealed.length,
  };
  if (match) {
    comparison.matches = match.path;
    comparison.sealedIn = match.source;
    const status = evaluation.files.find(
      (f) => f.path.normalize('NFC') === match.path.normalize('NFC'),
    )?.status;
    comparison.bundledCopyIntact = status === 'OK';
  }
  const check: CheckResult = match
    ? {
        id: 'original',
        ok: true,
        detail: `${given} has the SHA-256 and SM3 sealed for ${match.path} at packing time (${match.source})`,
      }
    : {
        id: 'original',
        ok: false,
        detail:
          sealed.length === 0
            ? `no digests of an original are sealed in this bundle to compare ${given} with`
            : `${given} has neither the SHA-256 nor the SM3 sealed for any original at packing time (SHA-256 ${digests.sha256}, SM3 ${digests.sm3})`,
      };
  return { comparison, check };
}

/**
 * Verifies the bundle at `path`. Returns a report (ok or not); throws only when the input cannot be
 * used at all (missing, not a zip or bag: exit 2). Never extracts or writes anything.
 */
export async function verify(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  checkPath(path);
  if (typeof options !== 'object' || options === null) {
    const detail = 'verify options must be an object';
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  if (options.original !== undefined) checkPath(options.original);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new InputError('input-missing', path, { cause });
  }
  // A missing --original is bad usage: say so before hashing a large bundle.
  if (options.original !== undefined) await resolveInput(options.original);
  for (const file of options.tsaCa ?? []) await resolveInput(file);
  let scan: Scan;
  if (info.isDirectory()) scan = await scanFolder(path);
  else if (info.isFile()) scan = await scanZip(path);
  else throw new InputError('input-not-file', path, { detail: 'neither a zip nor a folder' });

  const evaluation = evaluate(scan);
  const checks = [...evaluation.checks];
  if (scan.kind === 'zip') checks.push(await checkSidecar(path));
  const report: VerifyReport = {
    path,
    kind: scan.kind,
    bag: scan.bag,
    ok: false,
    bundleOk: false,
    files: evaluation.files,
    checks,
    summary: { OK: 0, CHANGED: 0, MISSING: 0, EXTRA: 0 },
  };
  for (const file of report.files) report.summary[file.status]++;
  report.bundleOk = checks.every((c) => c.ok) && report.files.every((f) => f.status === 'OK');
  if (options.original !== undefined) {
    const { comparison, check } = await compareOriginal(options.original, scan, evaluation);
    report.original = comparison;
    checks.push(check);
  }
  // Outside anchors: timestamps beside the bundle and --expect.
  const anchors = await checkAnchors(path, scan, evaluation, options);
  report.timestamps = anchors.timestamps;
  if (anchors.expect) report.expect = anchors.expect;
  checks.push(...anchors.checks);
  report.ok = report.bundleOk && checks.every((c) => c.ok);
  report.proof = proofOf(report, evaluation);
  return report;
}
