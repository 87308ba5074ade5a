// Judges a scanned bag: every manifest line against the bytes found, missing and extra files, bagit.txt,
// Payload-Oxum, SM3 sums, and the custody records (bag-info.txt, meta/evidence.json) against the manifests.
import {
  BAG_INFO_FILE,
  BAGIT_FILE,
  compareUtf8,
  EVIDENCE_JSON,
  PAYLOAD_MANIFEST,
  parseManifest,
  parseTags,
  SM3_SUMS,
  TAG_MANIFEST,
  tagValues,
} from '../bundle/bagit.js';
import type { Scan, ScannedFile } from './scan.js';
import { TEXT_LIMIT_LABEL, unsafeName } from './scan.js';

export type FileStatus = 'OK' | 'CHANGED' | 'MISSING' | 'EXTRA';

export interface FileResult {
  path: string;
  status: FileStatus;
  /** Why, when it is not OK. */
  detail?: string;
}

export interface CheckResult {
  id: string;
  ok: boolean;
  detail: string;
}

export interface Evaluation {
  files: FileResult[];
  checks: CheckResult[];
  /** Sealed digests of each path (from the manifests), for comparing an outside file with the originals. */
  expected: Map<string, Expected>;
}

export interface Expected {
  path: string;
  sha256?: string;
  sm3?: string;
}

const key = (path: string): string => path.normalize('NFC');

/** Why a bag file's text is not there: missing, or too large to be one this tool wrote. */
const unread = (file: ScannedFile | undefined, name: string): string =>
  file
    ? `${name} is larger than ${TEXT_LIMIT_LABEL} (${file.size} bytes), far more than a bag's own file holds; not read`
    : `${name} is missing`;
const isPayload = (path: string): boolean => path.startsWith('data/');
const isTagManifest = (path: string): boolean => /^tagmanifest-[a-z0-9]+\.txt$/.test(path);

/** Lists a few names, then how many more: check details stay one readable line. */
function names(paths: readonly string[], max = 5): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

interface ManifestSpec {
  file: string;
  id: string;
  field: 'sha256' | 'sm3';
  label: string;
  covers: (path: string) => boolean;
}

const MANIFESTS: readonly ManifestSpec[] = [
  { file: PAYLOAD_MANIFEST, id: 'payload-manifest', field: 'sha256', label: 'SHA-256', covers: isPayload },
  {
    file: TAG_MANIFEST,
    id: 'tag-manifest',
    field: 'sha256',
    label: 'SHA-256',
    covers: (path) => !isPayload(path) && !isTagManifest(path),
  },
  { file: SM3_SUMS, id: 'sm3sums', field: 'sm3', label: 'SM3', covers: isPayload },
];

export function evaluate(scan: Scan): Evaluation {
  const found = new Map<string, ScannedFile>();
  for (const file of scan.files) found.set(key(file.path), file);
  const get = (path: string) => found.get(key(path));
  const checks: CheckResult[] = [];
  const expected = new Map<string, Expected>();
  const present = new Map<string, boolean>();

  checks.push(checkBagitTxt(get(BAGIT_FILE)));

  for (const spec of MANIFESTS) {
    const manifest = get(spec.file);
    present.set(spec.id, manifest?.text !== undefined);
    if (!manifest || manifest.text === undefined) {
      checks.push({
        id: spec.id,
        ok: false,
        detail: unread(manifest, spec.file),
      });
      continue;
    }
    const parsed = parseManifest(manifest.text);
    const problems: string[] = [];
    if (parsed.malformed.length > 0) problems.push(`malformed line(s) ${parsed.malformed.join(', ')}`);
    const listed = new Set<string>();
    const mismatched: string[] = [];
    const missing: string[] = [];
    for (const entry of parsed.entries) {
      const unsafe = unsafeName(entry.path);
      if (unsafe) {
        problems.push(`line ${entry.line}: unsafe path ${JSON.stringify(entry.path)} (${unsafe})`);
        continue;
      }
      if (!spec.covers(entry.path)) {
        problems.push(`line ${entry.line}: ${entry.path} does not belong in ${spec.file}`);
        continue;
      }
      if (listed.has(key(entry.path))) {
        problems.push(`line ${entry.line}: ${entry.path} is listed twice`);
        continue;
      }
      listed.add(key(entry.path));
      const record = expected.get(key(entry.path)) ?? { path: entry.path };
      record[spec.field] = entry.digest;
      expected.set(key(entry.path), record);
      const file = get(entry.path);
      if (!file) missing.push(entry.path);
      else if (file[spec.field] !== entry.digest) mismatched.push(entry.path);
    }
    const unlisted = scan.files
      .map((f) => f.path)
      .filter((path) => spec.covers(path) && path !== spec.file && !listed.has(key(path)));
    if (spec.file === TAG_MANIFEST && get(PAYLOAD_MANIFEST) && !listed.has(key(PAYLOAD_MANIFEST)))
      problems.push(`${PAYLOAD_MANIFEST} is not covered`);
    if (mismatched.length > 0) problems.push(`${spec.label} differs for ${names(mismatched)}`);
    if (missing.length > 0) problems.push(`missing: ${names(missing)}`);
    if (unlisted.length > 0) problems.push(`not listed: ${names(unlisted)}`);
    checks.push({
      id: spec.id,
      ok: problems.length === 0,
      detail:
        problems.length === 0
          ? `${parsed.entries.length} files listed in ${spec.file}, all present with matching ${spec.label}`
          : `${spec.file}: ${problems.join('; ')}`,
    });
  }

  checks.push(
    checkPayloadOxum(
      get(BAG_INFO_FILE),
      scan.files.filter((f) => isPayload(f.path)),
    ),
  );
  checks.push(checkBagInfoDigests(get(BAG_INFO_FILE), expected));
  checks.push(checkEvidenceRecord(get(EVIDENCE_JSON), expected));
  checks.push(checkEntries(scan));

  const files = fileStatuses(scan, expected, get, present);
  return { files, checks, expected };
}

function checkBagitTxt(file: ScannedFile | undefined): CheckResult {
  const id = 'bagit';
  if (!file || file.text === undefined) return { id, ok: false, detail: unread(file, BAGIT_FILE) };
  if (file.text.startsWith('\ufeff'))
    return { id, ok: false, detail: `${BAGIT_FILE} starts with a byte-order mark` };
  const tags = parseTags(file.text);
  const version = tagValues(tags, 'BagIt-Version')[0];
  const encoding = tagValues(tags, 'Tag-File-Character-Encoding')[0];
  if (tags.fields.length !== 2 || tags.malformed.length > 0 || !version || !encoding)
    return { id, ok: false, detail: `${BAGIT_FILE} is not the two BagIt declaration lines` };
  if (version !== '1.0' || encoding.toUpperCase() !== 'UTF-8')
    return {
      id,
      ok: false,
      detail: `${BAGIT_FILE} declares BagIt ${version}, ${encoding} (expected 1.0, UTF-8)`,
    };
  return { id, ok: true, detail: 'BagIt-Version 1.0, Tag-File-Character-Encoding UTF-8' };
}

function checkPayloadOxum(bagInfo: ScannedFile | undefined, payload: readonly ScannedFile[]): CheckResult {
  const id = 'payload-oxum';
  const actual = `${payload.reduce((sum, f) => sum + f.size, 0)}.${payload.length}`;
  if (!bagInfo || bagInfo.text === undefined)
    return { id, ok: false, detail: unread(bagInfo, BAG_INFO_FILE) };
  const declared = tagValues(parseTags(bagInfo.text), 'Payload-Oxum')[0];
  if (!declared) return { id, ok: false, detail: `${BAG_INFO_FILE} has no Payload-Oxum` };
  return declared === actual
    ? { id, ok: true, detail: `Payload-Oxum ${declared} (bytes.files) matches the payload` }
    : { id, ok: false, detail: `Payload-Oxum ${declared} declared, payload is ${actual} (bytes.files)` };
}

/** bag-info.txt names each original and its digests; they must be the ones the manifests seal. */
function checkBagInfoDigests(bagInfo: ScannedFile | undefined, expected: Map<string, Expected>): CheckResult {
  const id = 'bag-info';
  if (!bagInfo || bagInfo.text === undefined)
    return { id, ok: false, detail: unread(bagInfo, BAG_INFO_FILE) };
  const tags = parseTags(bagInfo.text);
  if (tags.malformed.length > 0)
    return { id, ok: false, detail: `${BAG_INFO_FILE}: malformed line(s) ${tags.malformed.join(', ')}` };
  const paths = tagValues(tags, 'Evidence-Path');
  const sha256 = tagValues(tags, 'Evidence-SHA256');
  const sm3 = tagValues(tags, 'Evidence-SM3');
  const problems: string[] = [];
  paths.forEach((path, index) => {
    const sealed = expected.get(key(path));
    if (!sealed) problems.push(`${path} is not in the manifests`);
    else {
      // A digest whose manifest is gone is reported by that manifest's check, not again here.
      if (sealed.sha256 !== undefined && sha256[index] !== sealed.sha256)
        problems.push(`Evidence-SHA256 of ${path} differs from the manifest`);
      if (sealed.sm3 !== undefined && sm3[index] !== sealed.sm3)
        problems.push(`Evidence-SM3 of ${path} differs from ${SM3_SUMS}`);
    }
  });
  if (paths.length === 0 && sha256.length > 0) {
    const sealed = new Set([...expected.values()].map((e) => e.sha256));
    for (const digest of sha256)
      if (!sealed.has(digest)) problems.push(`Evidence-SHA256 ${digest} is not sealed`);
  }
  if (problems.length > 0) return { id, ok: false, detail: `${BAG_INFO_FILE}: ${problems.join('; ')}` };
  return {
    id,
    ok: true,
    detail:
      paths.length > 0
        ? `${BAG_INFO_FILE} names ${paths.length} original(s) with the sealed SHA-256 and SM3`
        : `${BAG_INFO_FILE} readable`,
  };
}

/** meta/evidence.json: readable, and each item's digests are the sealed ones. */
function checkEvidenceRecord(record: ScannedFile | undefined, expected: Map<string, Expected>): CheckResult {
  const id = 'evidence-record';
  if (!record || record.text === undefined) {
    return record || expected.has(key(EVIDENCE_JSON))
      ? { id, ok: false, detail: unread(record, EVIDENCE_JSON) }
      : { id, ok: true, detail: `no ${EVIDENCE_JSON} (not required by BagIt)` };
  }
  let items: unknown;
  try {
    items = (JSON.parse(record.text) as { items?: unknown }).items;
  } catch (error) {
    return { id, ok: false, detail: `${EVIDENCE_JSON} is not valid JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(items)) return { id, ok: false, detail: `${EVIDENCE_JSON} lists no items` };
  const problems: string[] = [];
  for (const item of items as Array<{ bagPath?: unknown; sha256?: unknown; sm3?: unknown }>) {
    const path = typeof item.bagPath === 'string' ? item.bagPath : undefined;
    const sealed = path ? expected.get(key(path)) : undefined;
    if (!path || !sealed) problems.push(`item ${JSON.stringify(item.bagPath)} is not in the manifests`);
    else if (
      (sealed.sha256 !== undefined && item.sha256 !== sealed.sha256) ||
      (sealed.sm3 !== undefined && item.sm3 !== sealed.sm3)
    )
      problems.push(`digests of ${path} differ from the manifests`);
  }
  if (problems.length > 0) return { id, ok: false, detail: `${EVIDENCE_JSON}: ${problems.join('; ')}` };
  return { id, ok: true, detail: `${EVIDENCE_JSON} records ${items.length} item(s) with the sealed digests` };
}

function checkEntries(scan: Scan): CheckResult {
  const id = scan.kind === 'zip' ? 'zip-entries' : 'folder-entries';
  if (scan.problems.length === 0)
    return {
      id,
      ok: true,
      detail:
        scan.kind === 'zip'
          ? `${scan.files.length} entries under ${scan.bag}/, plain relative names, no links or duplicates`
          : `${scan.files.length} regular files, no links`,
    };
  const listed = scan.problems.map((p) => `${JSON.stringify(p.path)}: ${p.problem}`);
  const unsafe = scan.problems.some((p) => p.kind === 'unsafe');
  return {
    id,
    ok: false,
    detail: `${unsafe ? 'unsafe entries refused (nothing was extracted or written)' : 'entries that could not be checked'}: ${names(listed, 8)}`,
  };
}

function fileStatuses(
  scan: Scan,
  expected: Map<string, Expected>,
  get: (path: string) => ScannedFile | undefined,
  present: Map<string, boolean>,
): FileResult[] {
  const out: FileResult[] = [];
  const unreadable = new Map(
    scan.problems.filter((p) => p.kind === 'unreadable').map((p) => [key(p.path), p]),
  );
  for (const [k, sealed] of expected) {
    const file = get(sealed.path);
    if (!file) {
      const problem = unreadable.get(k);
      out.push(
        problem
          ? { path: sealed.path, status: 'CHANGED', detail: problem.problem }
          : { path: sealed.path, status: 'MISSING' },
      );
      continue;
    }
    const differs: string[] = [];
    if (sealed.sha256 !== undefined && file.sha256 !== sealed.sha256) differs.push('SHA-256');
    if (sealed.sm3 !== undefined && file.sm3 !== sealed.sm3) differs.push('SM3');
    out.push(
      differs.length > 0
        ? {
            path: sealed.path,
            status: 'CHANGED',
            detail: `${differs.join(' and ')} ${differs.length > 1 ? 'differ' : 'differs'} from the sealed value`,
          }
        : { path: sealed.path, status: 'OK' },
    );
  }
  // A file no manifest seals is EXTRA, when the manifest that should list it is there to say so.
  const coveredBy = (path: string) =>
    isPayload(path)
      ? present.get('payload-manifest') || present.get('sm3sums')
      : !isTagManifest(path) && present.get('tag-manifest');
  for (const file of scan.files) {
    if (expected.has(key(file.path)) || !coveredBy(file.path)) continue;
    out.push({ path: file.path, status: 'EXTRA', detail: 'not in any manifest' });
  }
  for (const problem of scan.problems) {
    if (problem.kind === 'unreadable' && expected.has(key(problem.path))) continue;
    out.push({ path: problem.path, status: 'EXTRA', detail: problem.problem });
  }
  return out.sort((a, b) => compareUtf8(a.path, b.path));
}
