// Hardening test support: contract checks, a seeded PRNG, snapshots of files and folders, the built CLI.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import yauzl from 'yauzl';
import { walk } from '../bundle/support.js';
import { fixture, ROOT } from '../helpers.js';

const require = createRequire(import.meta.url);

/** The bundled ffmpeg, the one the fixtures are made with. */
export const FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const BIN = join(ROOT, 'dist/bin.js');

/** Every fixture original (the untouched recordings of each supported format). */
export const ORIGINALS = readdirSync(join(ROOT, 'fixtures/originals'))
  .sort()
  .map((name) => join(ROOT, 'fixtures/originals', name));

/** Builds dist/ when it is missing or older than the sources (`npm test` builds it first). */
export function ensureBuilt(): void {
  const newest = Math.max(...walk(join(ROOT, 'src')).map((f) => statSync(join(ROOT, 'src', f)).mtimeMs));
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newest) return;
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

/**
 * Thirty minutes of the fixture recording, stream-copied to `path`: instant to make, a few seconds of work
 * for pack, so a test can interrupt or change it mid-run. Returns ffmpeg's exit status.
 */
export function makeLongRecording(path: string): number | null {
  return spawnSync(FFMPEG, [
    '-v',
    'error',
    '-stream_loop',
    '89',
    '-i',
    fixture('originals/rec-a.m4a'),
    '-c',
    'copy',
    path,
  ]).status;
}

/** Temporary bundle folders of a pack run on `long.m4a`: `.long-evidence.tmp-<pid>-<random>`. */
const LONG_TEMP = /^\.long-evidence\.tmp-(\d+)-[0-9a-f]{8}$/;

/** Waits until `child` (a pack of long.m4a) is copying the original into its temporary folder; returns it. */
export async function tempFolderOf(out: string, child: ChildProcess): Promise<string> {
  for (;;) {
    const found = readdirSync(out).find((name) => LONG_TEMP.exec(name)?.[1] === String(child.pid));
    if (found && existsSync(join(out, found, 'bag/data/original/long.m4a'))) return join(out, found);
    if (child.exitCode !== null) throw new Error('pack ended before its copy was seen');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** How `child` ended (at once when it already has). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** mulberry32: a small fixed-seed PRNG, so every fuzz case can be replayed from its seed. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** What a file is, for "the input was not touched": bytes, size, modification time, identity. */
export interface FileState {
  sha256: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export function fileState(path: string): FileState {
  const info = statSync(path);
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    size: info.size,
    mtimeMs: info.mtimeMs,
    ino: info.ino,
  };
}

/** A folder's listing with each entry's type, size and mtime (hidden entries included). */
export function listing(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const info = lstatSync(join(dir, name));
      const kind = info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'file';
      return `${kind} ${JSON.stringify(name)} ${info.isDirectory() ? '' : info.size} ${info.mtimeMs}`;
    });
}

/** A Node stack frame ("    at fn (file:…:12:3)"): a user must never see one. */
export const STACK_LINE = /^\s+at\s.+:\d+:\d+\)?$/m;

const SEVERITIES = ['info', 'warning', 'critical'];
const ASPECTS = ['originality', 'integrity'];
const CATEGORIES = ['duration', 'encoding', 'structure', 'metadata', 'signal'];
const OUTCOMES = ['consistent', 'inconsistent', 'not-assessable'];
const VERDICTS = ['no-signs-found', 'review-recommended', 'signs-of-editing'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const finiteOrAbsent = (v: unknown): boolean =>
  v === undefined || (typeof v === 'number' && Number.isFinite(v));

/**
 * Violations of the `inspect --json` contract of DESIGN.md (empty when the object conforms). Returned as
 * a list, so a fuzz failure names every problem of the case at once.
 */
export function contractProblems(value: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  if (!isObject(value)) return ['not an object'];
  const { tool, file, format, media, checks, findings, summary } = value;
  need(isObject(tool) && tool['name'] === 'audio-evidence' && typeof tool['version'] === 'string', 'tool');
  if (isObject(file)) {
    need(typeof file['name'] === 'string' && typeof file['path'] === 'string', 'file.name/path');
    need(Number.isInteger(file['size']) && (file['size'] as number) >= 0, 'file.size');
    need(
      typeof file['modified'] === 'string' && !Number.isNaN(Date.parse(file['modified'])),
      'file.modified',
    );
    need(/^[0-9a-f]{64}$/.test(String(file['sha256'])), 'file.sha256');
    need(/^[0-9a-f]{64}$/.test(String(file['sm3'])), 'file.sm3');
  } else problems.push('file missing');
  need(
    isObject(format) &&
      typeof format['container'] === 'string' &&
      typeof format['extensionMatches'] === 'boolean',
    'format',
  );
  if (isObject(media)) {
    need(isObject(media['duration']), 'media.duration');
    if (isObject(media['duration']))
      for (const [k, v] of Object.entries(media['duration']))
        need(finiteOrAbsent(v), `media.duration.${k}=${v}`);
    need(isObject(media['tags']), 'media.tags');
  } else problems.push('media missing');
  const checkIds = new Set<string>();
  if (Array.isArray(checks)) {
    for (const c of checks) {
      need(
        isObject(c) && typeof c['id'] === 'string' && OUTCOMES.includes(String(c['outcome'])),
        `check ${JSON.stringify(c)}`,
      );
      if (isObject(c)) checkIds.add(String(c['id']));
    }
  } else problems.push('checks missing');
  if (Array.isArray(findings)) {
    for (const f of findings) {
      if (!isObject(f)) {
        problems.push('finding not an object');
        continue;
      }
      const id = String(f['id']);
      need(typeof f['id'] === 'string' && f['id'] !== '', 'finding.id');
      need(checkIds.has(String(f['check'])), `finding ${id}: check ${String(f['check'])} not listed`);
      need(SEVERITIES.includes(String(f['severity'])), `finding ${id}: severity ${String(f['severity'])}`);
      need(ASPECTS.includes(String(f['aspect'])), `finding ${id}: aspect ${String(f['aspect'])}`);
      need(CATEGORIES.includes(String(f['category'])), `finding ${id}: category ${String(f['category'])}`);
      need(typeof f['title'] === 'string' && f['title'] !== '', `finding ${id}: title`);
      need(typeof f['detail'] === 'string', `finding ${id}: detail`);
      need(
        finiteOrAbsent(f['at']) && finiteOrAbsent(f['end']),
        `finding ${id}: at/end ${f['at']}/${f['end']}`,
      );
    }
  } else problems.push('findings missing');
  need(isObject(summary) && VERDICTS.includes(String(summary['verdict'])), 'summary.verdict');
  try {
    JSON.parse(JSON.stringify(value));
  } catch (error) {
    problems.push(`not JSON-serialisable: ${String(error)}`);
  }
  return problems;
}

/** Resolves with `work`, or rejects naming `label` when it has not ended after `ms` (a hang, not speed). */
export async function within<T>(ms: number, label: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every entry of a zip as name → bytes, read with yauzl (no extraction, no shell, no name patterns). */
export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** One entry of a bundle zip, by its path inside the bag. */
export async function bagEntry(zip: string, inner: string): Promise<string> {
  const entries = await readZip(zip);
  const top = basename(zip, '.zip');
  const data = entries.get(`${top}/${inner}`);
  if (!data) throw new Error(`${inner} not in ${zip}: ${[...entries.keys()].join(', ')}`);
  return data.toString('utf8');
}
