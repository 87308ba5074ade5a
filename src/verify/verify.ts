// Offline verification of a bundle (zip or bag folder): every file hashed in place against the
// manifests, bag-level checks, the zip's .sha256 sidecar, and optionally a file compared with the original.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { hashFile } from '../hash/digest.js';
import { resolveInput } from '../input.js';
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

export interface OriginalComparison {
  path: string;
  identical: boolean;
  sha256: string;
  sm3: string;
  /** The bundled original it is identical to. */
  matches?: string;
}

export interface VerifyReport {
  path: string;
  kind: 'zip' | 'folder';
  /** Name of the bag folder. */
  bag: string;
  /** True when every file is OK and every check passed. */
  ok: boolean;
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

/** The `<zip>.sha256` next to the zip, when there is one: its digest must be the zip's. */
async function checkSidecar(zipPath: string): Promise<CheckResult> {
  const id = 'zip-sidecar';
  const sidecar = `${zipPath}.sha256`;
  let text: string;
  try {
    text = await readFile(sidecar, 'utf8');
  } catch {
    return { id, ok: true, detail: `no ${basename(sidecar)} next to the zip; not checked` };
  }
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

async function compareOriginal(
  given: string,
  scan: Scan,
  evaluation: Evaluation,
): Promise<{ comparison: OriginalComparison; check: CheckResult }> {
  const input = await resolveInput(given);
  const { digests } = await hashFile(input.path, ['sha256', 'sm3']);
  // Compared with what was sealed at packing time; the bytes found stand in when a manifest is gone.
  const candidates = scan.files
    .filter((file) => file.path.startsWith('data/original/'))
    .map((file) => {
      const sealed = evaluation.expected.get(file.path.normalize('NFC'));
      return { path: file.path, sha256: sealed?.sha256 ?? file.sha256, sm3: sealed?.sm3 ?? file.sm3 };
    });
  const match = candidates.find((c) => c.sha256 === digests.sha256 && c.sm3 === digests.sm3);
  const comparison: OriginalComparison = {
    path: given,
    identical: match !== undefined,
    sha256: digests.sha256,
    sm3: digests.sm3,
  };
  if (match) comparison.matches = match.path;
  const check: CheckResult = match
    ? {
        id: 'original',
        ok: true,
        detail: `${given} is byte-identical to ${match.path} (SHA-256 and SM3 equal)`,
      }
    : {
        id: 'original',
        ok: false,
        detail: `${given} differs from every bundled original (SHA-256 ${digests.sha256}, SM3 ${digests.sm3})`,
      };
  return { comparison, check };
}

/**
 * Verifies the bundle at `path`. Returns a report (ok or not); throws only when the input cannot be
 * used at all (missing, not a zip or bag: exit 2). Never extracts or writes anything.
 */
export async function verify(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
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
    files: evaluation.files,
    checks,
    summary: { OK: 0, CHANGED: 0, MISSING: 0, EXTRA: 0 },
  };
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
  for (const file of report.files) report.summary[file.status]++;
  report.ok = checks.every((c) => c.ok) && report.files.every((f) => f.status === 'OK');
  report.proof = proofOf(report, evaluation);
  return report;
}
