// Evidence bundle writer: one read of each original (hash + copy), read-after-write fixity, a BagIt 1.0
// bag with SM3 sums and a custody log, then an atomic move to a zip (+ .sha256) or a bag folder.

import type { Stats } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { type BatchProblem, expandInputs } from '../batch/expand.js';
import { AudioEvidenceError } from '../errors.js';
import { hashFile } from '../hash/digest.js';
import { resolveLang } from '../i18n/lang.js';
import { type InputFile, resolveInput } from '../input.js';
import { type InspectRun, inspectFile, type Progress } from '../inspect.js';
import { isoInZone, localTime, resolveTimeZone } from '../render/local-time.js';
import type { BagDocument, DocumentContext } from '../render/model.js';
import { durationOf } from '../render/model.js';
import { stampPacked } from '../timestamp/after-pack.js';
import type { TimestampResult } from '../timestamp/stamp.js';
import { logger } from '../tools/logger.js';
import { runPool } from '../tools/pool.js';
import { recordingFacts, type Verdict } from '../types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { type AccessOutcome, accessEvent, makeAccessCopy } from './access-copy.js';
import {
  BAG_INFO_FILE,
  BAGIT_FILE,
  BAGIT_TXT,
  EVIDENCE_JSON,
  formatManifest,
  formatTags,
  type ManifestEntry,
  PAYLOAD_DIR,
  PAYLOAD_MANIFEST,
  payloadOxum,
  README_VERIFY,
  SM3_SUMS,
  TAG_MANIFEST,
  type TagField,
} from './bagit.js';
import { assertUnchanged, CopyWriter, type FixityResult, verifyCopy } from './copy.js';
import {
  type CaseInfo,
  type Evidence,
  type EvidenceItem,
  event,
  fileTimes,
  formatEvidence,
} from './evidence.js';
import { freeFormsName, publishForms, sealOf } from './forms.js';
import { bagName, bundleStem, escapeOneLine, oneLine, portableName, truncateUtf8 } from './names.js';
import { ensureOutDir, outputError } from './out-dir.js';
import {
  checkPackOptions,
  type PackOptions,
  type RecordingText,
  recordingTexts,
  singleOptions,
  usage,
} from './pack-options.js';
import { listFiles, publishBag, publishZip } from './publish.js';
import { renderReadme } from './readme.js';
import { createTemp, lockName, nameFree, sweepStale, takenBy } from './temp.js';
import { isoWithOffset, localDate } from './time.js';

const debug = logger('bundle:pack');

export type { Speaker } from '../types.js';
export type { PackOptions } from './pack-options.js';
export { checkPackOptions, parseSpeaker, type RecordingText, singleOptions } from './pack-options.js';

/** One recording inside a bundle. */
export interface PackedItem {
  input: string;
  originalName: string;
  bagPath: string;
  nameChanged: boolean;
  size: number;
  sha256: string;
  sm3: string;
  verdict: Verdict;
}

export interface PackedBundle {
  input: string;
  /** Final path of the zip or bag folder. */
  path: string;
  /** Path of the .sha256 sidecar, for zips. */
  sidecar?: string;
  /** SHA-256 of the zip, for zips. */
  sha256?: string;
  verdict: string;
  /** Set when the preferred name was taken and a suffix was chosen: what holds it (or the preferred path). */
  renamedFrom?: string;
  /** Set when the preferred name was held by another run packing at the same time (not by a finished bundle). */
  renamedBecause?: 'in-progress';
  /** Name of the bag folder (inside the zip, or the folder itself). */
  bag: string;
  items: PackedItem[];
  /** Tool-side hiccups that did not stop packing. */
  warnings: string[];
  /** Temporary folders of killed runs that were removed from the output folder. */
  removedStale: string[];
  /**
   * Set when the recording lies inside an extracted evidence bundle (this folder) and no output folder
   * was given: the new bundle was written beside that bundle, never into it.
   */
  outsideBag?: string;
  /** Set when `stem` was given to keep two recordings of one batch apart: the name they share. */
  sharedStem?: string;
  /** With `tsa`: the tokens filed beside the bundle and the TSAs that failed (the bundle stays). */
  timestamp?: TimestampResult;
  /** Bag paths of the access copies (data/access/…), one per recording that got one. */
  access?: string[];
  /**
   * The folder of editable forms beside the bundle (`<bag>-forms`): transcript and evidence list that
   * name the bundle's SHA-256, outside the seal, for filling in.
   */
  forms?: string;
}

/**
 * Packs each recording into its own bundle, or all of them into one case bundle with `combine`. Folders
 * are walked for recordings (see batch/expand.ts). Throws on the first input that cannot be packed.
 */
export async function pack(files: string[], options: PackOptions = {}): Promise<PackedBundle[]> {
  if (!Array.isArray(files) || files.some((file) => typeof file !== 'string'))
    throw usage('pack() takes an array of paths (a single path goes in brackets: pack([path]))');
  checkPackOptions(options);
  const { entries } = await expandInputs(files);
  const paths: string[] = [];
  for (const entry of entries) {
    if (entry.kind === 'problem') throw problemError(entry);
    paths.push(entry.path);
  }
  if (options.combine !== undefined) {
    const out = options.out ?? (files[0] === undefined ? undefined : await caseOutDir(files[0]));
    return [await packBundle(paths, { ...options, ...(out === undefined ? {} : { out }) })];
  }
  const stems = batchStems(paths, options.out);
  // Per-recording keys are resolved against the whole list: each bundle then holds one recording.
  const texts = recordingTexts(options.recordings, paths);
  const bundles: PackedBundle[] = [];
  for (const [index, path] of paths.entries()) {
    const stem = stems[index];
    const own = singleOptions(options, texts[index]);
    bundles.push(await packBundle([path], stem === undefined ? own : { ...own, stem }));
  }
  return bundles;
}

/** Comparison key of a bundle name in a folder: case and Unicode form do not keep names apart everywhere. */
const nameKey = (dir: string, stem: string): string => `${dir}\0${stem.normalize('NFC').toLowerCase()}`;

/**
 * Stems for recordings packed one bundle each: undefined (the usual stem) unless two recordings bound for
 * the same folder share a stem ("test.amr", "test.silk"); then each keeps its whole name ("test.silk").
 */
export function batchStems(paths: readonly string[], out: string | undefined): Array<string | undefined> {
  const keys = paths.map((path) => {
    const dir = resolve(out ?? dirname(resolve(path)));
    return nameKey(dir, bundleStem(basename(path)));
  });
  const count = new Map<string, number>();
  for (const key of keys) count.set(key, (count.get(key) ?? 0) + 1);
  return paths.map((path, index) =>
    (count.get(keys[index]!) ?? 0) > 1 ? portableName(basename(path)).replace(/^\.+/, '') : undefined,
  );
}

/** A folder that yields nothing to pack, as an error for library callers (the CLI words it itself). */
function problemError(problem: BatchProblem): AudioEvidenceError {
  const reason: Record<BatchProblem['code'], string> = {
    'batch.no-recordings': 'no recordings found in the folder',
    'batch.folder-unreadable': `cannot read the folder (${problem.params['detail'] ?? ''})`,
    'batch.is-bag': 'the folder is already an evidence bundle (check it with verify)',
  };
  const detail = `${reason[problem.code]}: ${problem.given}`;
  return new AudioEvidenceError('usage', detail, { params: { detail } });
}

/**
 * The stem of a case bundle named by the user: made portable like a file name, and never a path (a
 * "/" would put the bundle outside the output folder).
 */
export function caseStem(name: string): string {
  const bare = name
    .trim()
    .replace(/\.zip$/i, '')
    .replace(/-evidence$/i, '');
  const portable = portableName(bare.replace(/\//g, '_')).replace(/^\.+/, '');
  return truncateUtf8(portable, 200).replace(/[ .]+$/, '') || 'case';
}

/**
 * Where a case bundle goes by default: the first input's folder, or that folder itself when it is one;
 * beside an extracted bundle rather than inside it.
 */
export async function caseOutDir(first: string): Promise<string> {
  const absolute = resolve(first);
  const info = await stat(absolute).catch(() => undefined);
  const dir = info?.isDirectory() ? absolute : dirname(absolute);
  const bag = await enclosingBag(dir);
  return bag === undefined ? dir : dirname(bag);
}

/** The bag folder (holding bagit.txt) that `dir` is or lies in, if any. */
export async function enclosingBag(dir: string): Promise<string | undefined> {
  for (let current = resolve(dir); ; ) {
    const marker = await stat(join(current, 'bagit.txt')).catch(() => undefined);
    if (marker?.isFile()) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The output folder: `out`, or the input's folder. A bundle written into an extracted bag would add a
 * file its manifests do not list (verify then fails): by default it goes beside the bag instead, and an
 * `out` inside a bag is refused.
 */
async function outputFolder(
  first: InputFile,
  out: string | undefined,
): Promise<{ dir: string; outsideBag?: string }> {
  if (out !== undefined) {
    const dir = resolve(out);
    const bag = await enclosingBag(dir);
    if (bag !== undefined)
      throw new AudioEvidenceError('output-in-bag', `output folder inside the evidence bundle ${bag}`, {
        params: { path: dir, bag },
      });
    return { dir };
  }
  const dir = resolve(dirname(first.linkPath ?? first.path));
  const bag = await enclosingBag(dir);
  return bag === undefined ? { dir } : { dir: dirname(bag), outsideBag: bag };
}

interface Ingested {
  number: number;
  given: string;
  run: InspectRun;
  /** The source as stat saw it before it was read. */
  before: Stats;
  bagPath: string;
  reportPath: string;
  nameChanged: boolean;
  readStart: Date;
  readEnd: Date;
  inspectedAt: Date;
  fixity: FixityResult;
  /** This recording's own 证据名称 and 证明对象, when given. */
  text: RecordingText;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const AGENT = `${TOOL_NAME} ${TOOL_VERSION}`;
const VERDICT_ORDER: Record<Verdict, number> = {
  'no-signs-found': 0,
  'review-recommended': 1,
  'signs-of-editing': 2,
};

/**
 * Builds one bag from `files` (several files make a bag with numbered items, `data/original/01-…`).
 * Nothing appears under the final name until the bag is complete; on failure nothing is left.
 */
export async function packBundle(files: readonly string[], options: PackOptions = {}): Promise<PackedBundle> {
  checkPackOptions(options);
  if (files.length === 0) {
    const detail = 'no file to pack';
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  // Check every input before anything is created: a missing file is bad usage, not a broken bundle.
  const inputs: InputFile[] = [];
  for (const file of files) inputs.push(await resolveInput(file));
  const texts = recordingTexts(options.recordings, files);
  const first = inputs[0]!;
  const placed = await outputFolder(first, options.out);
  const outDir = placed.dir;
  const zip = options.zip !== false;
  const stem =
    options.combine !== undefined
      ? caseStem(options.combine)
      : options.stem !== undefined
        ? caseStem(options.stem)
        : bundleStem(first.name);

  await ensureOutDir(outDir);
  let removedStale: string[];
  try {
    removedStale = await sweepStale(outDir);
  } catch (error) {
    throw outputError(error, outDir);
  }
  const temp = await createTemp(outDir, bagName(stem, 1)).catch((error: unknown) => {
    throw outputError(error, outDir);
  });
  try {
    // The name is decided once, here, and reserved before anything records it: runs racing for the
    // same name each get their own, and the bag, evidence.json and README-verify all say the one used.
    let attempt = 1;
    while (
      !(await nameFree(outDir, bagName(stem, attempt))) ||
      !(await temp.reserve(outDir, bagName(stem, attempt)))
    )
      attempt++;
    const name = bagName(stem, attempt);
    const preferred = bagName(stem, 1);
    // What took the preferred name, said as it is: a finished bundle (zip, sidecar or folder), or
    // another run writing it right now.
    const taken = attempt > 1 ? await takenBy(outDir, preferred) : undefined;
    const bagDir = join(temp.path, 'bag');
    await mkdir(join(bagDir, PAYLOAD_DIR, 'original'), { recursive: true });
    // Recordings of a case bundle are read side by side (each one still read exactly once).
    const items = await runPool(files, options.jobs ?? 1, (file, index) =>
      ingest(file, index + 1, files.length, bagDir, options, texts[index] ?? {}),
    );
    const access = await makeAccessCopies(bagDir, items, options);
    debug('access copies made');
    const warnings = access.warnings;
    const documents = await writePayloadDocuments(bagDir, items, options, access.outcomes);
    warnings.push(...documents.warnings);
    debug('documents written');
    const payload = await hashPayload(bagDir, items, access.outcomes);
    debug('payload hashed');
    const packedAt = new Date();
    // Named in README-verify: the folder of editable forms the bundle will get beside it.
    const formsName = await freeFormsName(outDir, name);
    await writeTagFiles(bagDir, {
      formsName,
      items,
      payload,
      packedAt,
      name,
      zip,
      warnings,
      options,
      access: access.outcomes,
    });
    debug('tag files written');

    const published = zip
      ? await publishZip(bagDir, temp.path, outDir, name, () => recheckSources(items))
      : await publishBag(bagDir, outDir, name, () => recheckSources(items));
    // The forms come after the bundle they name; a failure here leaves the bundle as it is.
    let forms: string | undefined;
    try {
      forms = await publishForms({
        tempDir: temp.path,
        outDir,
        bag: name,
        preferred: formsName,
        ctx: documents.ctx,
        seal: await sealOf(published),
      });
    } catch (error) {
      warnings.push(
        `the editable forms could not be written beside the bundle: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const worst = items
      .map((item) => item.run.result.summary.verdict)
      .reduce((a, b) => (VERDICT_ORDER[b] > VERDICT_ORDER[a] ? b : a), 'no-signs-found' as Verdict);
    const bundle: PackedBundle = {
      input: files[0]!,
      path: published.path,
      verdict: worst,
      bag: published.name,
      items: items.map((item) => ({
        input: item.given,
        originalName: item.run.input.name,
        bagPath: item.bagPath,
        nameChanged: item.nameChanged,
        size: item.fixity.size,
        sha256: item.fixity.sha256,
        sm3: item.fixity.sm3,
        verdict: item.run.result.summary.verdict,
      })),
      warnings,
      removedStale,
    };
    const accessPaths = [...access.outcomes.values()].flatMap((o) => (o.ok ? [o.copy.path] : []));
    if (accessPaths.length > 0) bundle.access = accessPaths;
    if (forms !== undefined) bundle.forms = forms;
    if (published.sidecar) bundle.sidecar = published.sidecar;
    if (published.sha256) bundle.sha256 = published.sha256;
    if (published.name !== preferred) {
      const busy = taken === undefined || taken === join(outDir, lockName(preferred));
      bundle.renamedFrom = busy ? join(outDir, zip ? `${preferred}.zip` : preferred) : taken;
      if (busy) bundle.renamedBecause = 'in-progress';
    }
    if (placed.outsideBag) bundle.outsideBag = placed.outsideBag;
    if (options.stem !== undefined && options.combine === undefined)
      bundle.sharedStem = bundleStem(first.name);
    if (options.tsa?.length) bundle.timestamp = await stampPacked(bundle.path, { tsa: options.tsa });
    return bundle;
  } catch (error) {
    throw outputError(error, outDir);
  } finally {
    await temp.dispose();
  }
}

/** The single read: inspect hashes the original while the copy writer puts the same bytes in the bag. */
async function ingest(
  given: string,
  number: number,
  count: number,
  bagDir: string,
  options: PackOptions,
  text: RecordingText,
): Promise<Ingested> {
  const input = await resolveInput(given);
  const portable = portableName(input.name);
  const prefix = count > 1 ? `${pad2(number)}-` : '';
  const bagPath = `${PAYLOAD_DIR}/original/${prefix}${portable}`;
  const reportPath = `${PAYLOAD_DIR}/report/${prefix}inspection.json`;
  const copyPath = join(bagDir, bagPath);
  const copy = await CopyWriter.create(copyPath, input.stat.size);
  const readStart = new Date();
  let run: InspectRun;
  try {
    run = await inspectFile(given, {
      readers: [copy],
      ...(options.signatures ? { signatures: options.signatures } : {}),
      ...(options.exemplar ? { exemplar: options.exemplar } : {}),
      // Reported under the path as given: in a case bundle two recordings may share a file name.
      ...(options.onProgress
        ? { onProgress: (p: Progress) => options.onProgress?.({ ...p, file: given }) }
        : {}),
    });
    await copy.finish();
  } catch (error) {
    await copy.abort();
    // A source that changed or vanished under the read turns into lower-level failures (ENOENT on a
    // later open, a missing file on the second check): report the change itself, as after a clean read.
    await assertUnchanged(input.path, given, input.stat, input.stat.size);
    throw error;
  }
  const inspectedAt = new Date();
  const readEnd = copy.lastChunkAt ?? inspectedAt;
  debug('inspected %s (single read ended %s)', given, readEnd.toISOString());
  // The first stat (taken before the copy was created) is the reference for "unchanged".
  const before = input.stat;
  await assertUnchanged(run.input.path, given, before, run.bytesRead);
  const fixity = await verifyCopy(
    copy,
    { sha256: run.digests.sha256, sm3: run.digests.sm3, size: before.size },
    { atimeMs: before.atimeMs, mtimeMs: before.mtimeMs },
  );
  debug('ingested %s as %s (%d bytes)', given, bagPath, fixity.size);
  return {
    number,
    given,
    run,
    before,
    bagPath,
    reportPath,
    nameChanged: portable !== input.name,
    readStart,
    readEnd,
    inspectedAt,
    fixity,
    text,
  };
}

/** Paths a document may not take: the bag's own files. */
const RESERVED = new Set([
  BAGIT_FILE,
  BAG_INFO_FILE,
  PAYLOAD_MANIFEST,
  TAG_MANIFEST,
  SM3_SUMS,
  EVIDENCE_JSON,
  README_VERIFY,
]);

function documentPathProblem(path: string, taken: ReadonlySet<string>): string | undefined {
  const normal = posix.normalize(path);
  if (normal !== path || path.startsWith('/') || path.includes('\\') || path.split('/').includes('..'))
    return 'not a plain relative path';
  if (RESERVED.has(path) || /^(tag)?manifest-/.test(path)) return 'reserved for the bag itself';
  if (path.startsWith(`${PAYLOAD_DIR}/original/`)) return 'data/original/ holds only the recordings';
  if (taken.has(path)) return 'already written';
  return undefined;
}

/**
 * data/access/<stem>.wav (or .m4a): a playable copy of each recording made from the bag's copy, one at a
 * time. A copy that cannot be made is a warning; the bundle is made without it.
 */
async function makeAccessCopies(
  bagDir: string,
  items: Ingested[],
  options: PackOptions,
): Promise<{ outcomes: Map<number, AccessOutcome>; warnings: string[] }> {
  const outcomes = new Map<number, AccessOutcome>();
  const warnings: string[] = [];
  for (const item of items) {
    const result = item.run.result;
    const prefix = items.length > 1 ? `${pad2(item.number)}-` : '';
    const outcome = await makeAccessCopy({
      bagDir,
      source: item.bagPath,
      sourceSha256: item.fixity.sha256,
      target: `${PAYLOAD_DIR}/access/${prefix}${bundleStem(item.run.input.name)}`,
      container: result.format.container,
      duration: durationOf(result),
      channels: result.media.channels,
      ...(result.media.codec === undefined ? {} : { codec: result.media.codec }),
      ...(options.accessWavMaxSeconds === undefined ? {} : { wavMaxSeconds: options.accessWavMaxSeconds }),
    });
    outcomes.set(item.number, outcome);
    if (!outcome.ok) warnings.push(`no playable copy of ${item.bagPath} was made: ${outcome.reason}`);
  }
  return { outcomes, warnings };
}

/** data/report/inspection.json (the inspect object) and the rendered documents. */
async function writePayloadDocuments(
  bagDir: string,
  items: Ingested[],
  options: PackOptions,
  access: ReadonlyMap<number, AccessOutcome> = new Map(),
): Promise<{ warnings: string[]; ctx: DocumentContext }> {
  const warnings: string[] = [];
  const taken = new Set<string>(items.map((item) => item.bagPath));
  for (const outcome of access.values()) if (outcome.ok) taken.add(outcome.copy.path);
  const write = async (path: string, content: Buffer | string) => {
    const target = join(bagDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { flag: 'wx' });
    taken.add(path);
  };
  for (const item of items) await write(item.reportPath, `${JSON.stringify(item.run.result, null, 2)}\n`);

  const timeZone = resolveTimeZone(options.timeZone);
  const ctx: DocumentContext = {
    lang: options.lang ?? resolveLang(undefined),
    packedAt: isoInZone(new Date(), timeZone),
    timeZone,
    items: items.map((item) => {
      const outcome = access.get(item.number);
      return {
        number: item.number,
        inspection: item.run.result,
        bagPath: item.bagPath,
        originalName: item.run.input.name,
        inspectionPath: item.reportPath,
        ...item.text,
        ...(outcome?.ok ? { access: { path: outcome.copy.path, command: outcome.copy.command } } : {}),
        ...(outcome && !outcome.ok ? { notices: [{ stage: 'access-copy', message: outcome.reason }] } : {}),
      };
    }),
  };
  if (options.caseId !== undefined) ctx.caseId = options.caseId;
  if (options.title !== undefined) ctx.title = options.title;
  if (options.submitter !== undefined) ctx.submitter = options.submitter;
  if (options.proves !== undefined) ctx.proves = options.proves;
  if (options.court !== undefined) ctx.court = options.court;
  if (options.partyRole !== undefined) ctx.partyRole = options.partyRole;
  if (options.listVerdict) ctx.listVerdict = true;
  Object.assign(ctx, recordingFacts(options));
  let documents: BagDocument[] = [];
  try {
    // Loaded here: the documents pull in docx, which inspect and verify never need.
    const { renderDocuments } = await import('../render/documents.js');
    documents = await renderDocuments(ctx);
  } catch (error) {
    // The recording and its hashes matter more than a report: pack without it and say so.
    warnings.push(
      `documents could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const document of documents) {
    const problem = documentPathProblem(document.path, taken);
    if (problem) {
      warnings.push(`document ${JSON.stringify(document.path)} skipped: ${problem}`);
      continue;
    }
    await write(document.path, document.content);
  }
  return { warnings, ctx };
}

interface PayloadFile {
  path: string;
  size: number;
  sha256: string;
  sm3: string;
}

/** Digests of every payload file: the originals' from their fixity re-read, the rest read back from disk. */
async function hashPayload(
  bagDir: string,
  items: Ingested[],
  access: ReadonlyMap<number, AccessOutcome>,
): Promise<PayloadFile[]> {
  const known = new Map<string, { size: number; sha256: string; sm3: string }>(
    items.map((item) => [item.bagPath, item.fixity]),
  );
  // The access copies were hashed as they were made.
  for (const outcome of access.values()) if (outcome.ok) known.set(outcome.copy.path, outcome.copy);
  const out: PayloadFile[] = [];
  for (const path of await listFiles(bagDir, PAYLOAD_DIR)) {
    const fixity = known.get(path);
    if (fixity) {
      out.push({ path, size: fixity.size, sha256: fixity.sha256, sm3: fixity.sm3 });
      continue;
    }
    const { size, digests } = await hashFile(join(bagDir, path), ['sha256', 'sm3']);
    out.push({ path, size, sha256: digests.sha256, sm3: digests.sm3 });
  }
  return out;
}

const EXACT_TAGS = new Set([
  'Bag-Software-Agent',
  'Bagging-Date',
  'Payload-Oxum',
  'Original-Filename',
  'Evidence-Path',
  'Evidence-SHA256',
  'Evidence-SM3',
]);

function humanSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

interface TagInput {
  items: Ingested[];
  payload: PayloadFile[];
  packedAt: Date;
  name: string;
  zip: boolean;
  warnings: string[];
  options: PackOptions;
  access: ReadonlyMap<number, AccessOutcome>;
  /** Name of the forms folder beside the bundle. */
  formsName: string;
}

function caseInfo(options: PackOptions): CaseInfo {
  const info: CaseInfo = {};
  if (options.caseId !== undefined) info.id = options.caseId;
  if (options.title !== undefined) info.title = options.title;
  if (options.submitter !== undefined) info.submitter = options.submitter;
  if (options.proves !== undefined) info.proves = options.proves;
  if (options.court !== undefined) info.court = options.court;
  if (options.partyRole !== undefined) info.partyRole = options.partyRole;
  return Object.assign(info, recordingFacts(options));
}

function bagInfoFields(input: TagInput, oxum: string): TagField[] {
  const { options, items, payload, packedAt } = input;
  const tool = items[0]?.run.result.tool;
  const fields: TagField[] = [
    [
      'Bag-Software-Agent',
      `${AGENT} (Node ${process.version}${tool?.ffmpeg ? `; ffmpeg ${tool.ffmpeg}` : ''})`,
    ],
    ['Bagging-Date', localDate(packedAt)],
    ['Payload-Oxum', oxum],
    ['Bag-Size', humanSize(payload.reduce((sum, file) => sum + file.size, 0))],
  ];
  const free: Array<[string, string | undefined]> = [
    ['External-Identifier', options.caseId],
    ['External-Description', options.title],
    ['Contact-Name', options.submitter],
    ['Proves', options.proves],
    ['Court', options.court],
    ['Party-Role', options.partyRole],
    ['Recorded-By', options.recordedBy],
    ['Recording-Place', options.place],
    ['Recording-Device', options.device],
    // BagIt allows a label more than once: one Speaker line each.
    ...(options.speakers ?? []).map((s): [string, string] => [
      'Speaker',
      s.role ? `${s.name} (${s.role})` : s.name,
    ]),
  ];
  for (const [label, value] of free) {
    const clean = value === undefined ? '' : oneLine(value);
    if (clean) fields.push([label, clean]);
  }
  for (const item of items) {
    fields.push(
      ['Original-Filename', escapeOneLine(item.run.input.name)],
      ['Evidence-Path', item.bagPath],
      ['Evidence-SHA256', item.fixity.sha256],
      ['Evidence-SM3', item.fixity.sm3],
    );
  }
  return fields;
}

function custodyEvents(
  items: Ingested[],
  packedAt: Date,
  name: string,
  oxum: string,
  zip: boolean,
  access: ReadonlyMap<number, AccessOutcome>,
) {
  const events = [];
  for (const item of items) {
    const { run, fixity, bagPath } = item;
    const result = run.result;
    const tools = `${AGENT}${result.tool.ffprobe ? `; ffprobe ${result.tool.ffprobe}` : ''}`;
    const source = run.input.linkPath ?? run.input.path;
    events.push(
      event(
        'ingestion',
        item.readStart,
        AGENT,
        `Opened ${source} read-only; one streaming read of ${run.bytesRead} bytes was hashed and copied to ${bagPath}.`,
        [bagPath],
      ),
      event(
        'message digest calculation',
        item.readEnd,
        AGENT,
        `SHA-256 ${run.digests.sha256}; SM3 ${run.digests.sm3} (from the single read of the source).`,
        [bagPath],
      ),
      event(
        'format identification',
        item.inspectedAt,
        tools,
        `${result.format.description ?? result.format.container} (container "${result.format.container}"); file extension ${result.format.extensionMatches ? 'matches' : 'does not match'} the content.`,
        [bagPath],
      ),
      event(
        'metadata extraction',
        item.inspectedAt,
        tools,
        `Media facts and ${result.checks.length} checks recorded in ${item.reportPath}; result: ${result.summary.verdict} (${result.summary.counts.critical} critical, ${result.summary.counts.warning} warning, ${result.summary.counts.info} info).`,
        [bagPath, item.reportPath],
      ),
      event(
        'fixity check',
        fixity.checkedAt,
        AGENT,
        `Read after write: the copy ${bagPath}, flushed and read back from the disk, has the source's size (${fixity.size} bytes) and SHA-256; the source's size and modification time were unchanged after the read; the copy was given the source's modification and access times.`,
        [bagPath],
      ),
    );
    if (item.nameChanged)
      events.push(
        event(
          'filename change',
          item.readStart,
          AGENT,
          `Characters that break portable paths were replaced: ${JSON.stringify(run.input.name)} is stored as ${JSON.stringify(bagPath)}.`,
          [bagPath],
        ),
      );
    const outcome = access.get(item.number);
    if (outcome) events.push(accessEvent(outcome, { path: bagPath, sha256: fixity.sha256 }, AGENT));
  }
  events.push(
    event(
      'packaging',
      packedAt,
      AGENT,
      `BagIt 1.0 bag "${name}" assembled (Payload-Oxum ${oxum}; SHA-256 manifests, SM3 sums in ${SM3_SUMS})${zip ? `, serialised as ${name}.zip with a ${name}.zip.sha256 sidecar` : ''}.`,
      items.map((item) => item.bagPath),
    ),
  );
  return events;
}

async function writeTagFiles(bagDir: string, input: TagInput): Promise<void> {
  const { items, payload, packedAt, name, zip, warnings, options, access } = input;
  const oxum = payloadOxum(payload.map((file) => file.size));
  const put = async (path: string, content: string) => {
    const target = join(bagDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content, { flag: 'wx' });
  };

  await put(BAGIT_FILE, BAGIT_TXT);
  await put(
    PAYLOAD_MANIFEST,
    formatManifest(payload.map((file) => ({ path: file.path, digest: file.sha256 }))),
  );
  await put(SM3_SUMS, formatManifest(payload.map((file) => ({ path: file.path, digest: file.sm3 }))));
  await put(BAG_INFO_FILE, formatTags(bagInfoFields(input, oxum), EXACT_TAGS));

  const first = items[0]!.run.result.tool;
  const evidence: Evidence = {
    schema: 'audio-evidence/evidence/1',
    tool: { ...first, platform: `${process.platform} ${process.arch}` },
    packedAt: isoWithOffset(packedAt),
    bag: { name, payloadOxum: oxum, ...(zip ? { zip: `${name}.zip` } : {}) },
    case: caseInfo(options),
    items: items.map((item): EvidenceItem => {
      const { run } = item;
      const source: EvidenceItem['source'] = { path: run.input.linkPath ?? run.input.path };
      if (run.input.linkPath) {
        source.linkPath = run.input.linkPath;
        source.realPath = run.input.path;
      }
      return {
        number: item.number,
        originalName: run.input.name,
        bagPath: item.bagPath,
        nameChanged: item.nameChanged,
        reportPath: item.reportPath,
        ...item.text,
        source,
        size: item.fixity.size,
        times: fileTimes(item.before),
        sha256: item.fixity.sha256,
        sm3: item.fixity.sm3,
        format: run.result.format,
        media: run.result.media,
        summary: run.result.summary,
        checks: run.result.checks,
        findings: run.result.findings,
      };
    }),
    events: custodyEvents(items, packedAt, name, oxum, zip, access),
    warnings,
  };
  await put(EVIDENCE_JSON, formatEvidence(evidence));
  await put(
    README_VERIFY,
    await renderReadme({
      bag: name,
      zip: `${name}.zip`,
      originals: items.map((item) => item.bagPath),
      packedAt: localTime(packedAt, resolveTimeZone(options.timeZone)),
      tool: `${AGENT} (Node ${process.version})`,
      access: [...access.values()].flatMap((o) => (o.ok ? [o.copy.path] : [])),
      forms: input.formsName,
    }),
  );

  // Every tag file except the tag manifest itself, the payload manifest and meta/ included.
  const tagFiles = (await listFiles(bagDir)).filter(
    (path) => !path.startsWith(`${PAYLOAD_DIR}/`) && !/^tagmanifest-/.test(path),
  );
  const tagEntries: ManifestEntry[] = [];
  for (const path of tagFiles) {
    const { digests } = await hashFile(join(bagDir, path), ['sha256']);
    tagEntries.push({ path, digest: digests.sha256 });
  }
  await put(TAG_MANIFEST, formatManifest(tagEntries));
}

/** Source unchanged from the first stat to the moment the bundle is published. */
async function recheckSources(items: Ingested[]): Promise<void> {
  for (const item of items)
    await assertUnchanged(item.run.input.path, item.given, item.before, item.run.bytesRead);
}
