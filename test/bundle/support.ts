// Test support for bundles: temp folders, outside tools (sha256sum, cksum, unzip, python3, java), a
// raw zip writer for crafting hostile zips, and an independent strict BagIt check.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const created: string[] = [];

export function tempDir(prefix = 'ae-bundle-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder `tempDir` made in this test file (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTool(command: string, args: string[], cwd?: string): ToolRun {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** True when `command` runs (used to skip tests that need a tool this machine lacks). */
export function hasTool(command: string, args: string[] = ['--version']): boolean {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0;
}

export const HAS_SHA256SUM = hasTool('sha256sum');
export const HAS_CKSUM_SM3 =
  spawnSync('cksum', ['-a', 'sm3', '/dev/null'], { encoding: 'utf8' }).status === 0;
export const HAS_UNZIP = hasTool('unzip', ['-v']);
export const HAS_PYTHON = hasTool('python3');
export const HAS_JAVAC = hasTool('javac', ['-version']);
export const HAS_BAGIT_PY =
  HAS_PYTHON && spawnSync('python3', ['-c', 'import bagit'], { encoding: 'utf8' }).status === 0;

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
export const sm3 = (data: Buffer | string): string => createHash('sm3').update(data).digest('hex');

/** Every file under `root`, relative with `/`. */
export function walk(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(root, relative));
    else out.push(relative);
  }
  return out.sort();
}

export interface RawEntry {
  name: string | Buffer;
  data: Buffer | string;
  /** Unix mode (e.g. 0o120777 for a symlink); written with "made by Unix". */
  mode?: number;
  /** Name in the local header when it should differ from the central directory's. */
  localName?: string;
  /** Written DEFLATEd instead: `data` is then the raw deflate stream of `size` bytes with this CRC-32. */
  deflated?: { size: number; crc: number };
}

/**
 * Writes a STORED zip byte by byte, so a test can put in names no archiver would write (`../evil`,
 * absolute paths, duplicates, symlinks). UTF-8 flag set on every entry.
 */
export function writeRawZip(path: string, entries: readonly RawEntry[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, 'utf8');
    const localName = entry.localName === undefined ? name : Buffer.from(entry.localName, 'utf8');
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const crc = entry.deflated ? entry.deflated.crc : crc32(data) >>> 0;
    const size = entry.deflated ? entry.deflated.size : data.length;
    const method = entry.deflated ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x21, 10); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x21, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, localName, data);
    centrals.push(central, name);
    offset += local.length + localName.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
}

/** The files of a bag folder as raw zip entries under `top/`. */
export function bagEntries(bagDir: string, top: string): RawEntry[] {
  return walk(bagDir).map((path) => ({ name: `${top}/${path}`, data: readFileSync(join(bagDir, path)) }));
}

/**
 * An independent strict reading of RFC 8493 for bags this tool writes: returns the list of
 * violations (empty when the bag is valid). Written from the RFC, not from the tool's code.
 */
export function bagitViolations(bagDir: string): string[] {
  const problems: string[] = [];
  const files = walk(bagDir);
  const read = (p: string) => readFileSync(join(bagDir, p));
  if (!files.includes('bagit.txt')) return ['bagit.txt missing'];
  if (read('bagit.txt').toString('latin1') !== 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
    problems.push('bagit.txt is not exactly the two declaration lines with LF');
  const payload = files.filter((p) => p.startsWith('data/'));
  const tags = files.filter((p) => !p.startsWith('data/') && !p.startsWith('tagmanifest-'));
  const manifests = files.filter((p) => /^manifest-[a-z0-9]+\.txt$/.test(p));
  if (!manifests.includes('manifest-sha256.txt')) problems.push('no manifest-sha256.txt');
  if (files.some((p) => /^(tag)?manifest-sm3\.txt$/.test(p)))
    problems.push('an sm3 manifest validators reject');
  for (const manifest of [...manifests, ...files.filter((p) => /^tagmanifest-[a-z0-9]+\.txt$/.test(p))]) {
    const text = read(manifest).toString('utf8');
    if (!text.endsWith('\n') || text.includes('\r')) problems.push(`${manifest}: not LF-terminated lines`);
    const lines = text.split('\n').filter(Boolean);
    const paths = lines.map((line) => {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!match) {
        problems.push(`${manifest}: malformed line ${JSON.stringify(line)}`);
        return '';
      }
      const path = match[2]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
      if (files.includes(path) && sha256(read(path)) !== match[1])
        problems.push(`${manifest}: ${path} digest`);
      if (!files.includes(path)) problems.push(`${manifest}: ${path} does not exist`);
      return path;
    });
    const sorted = [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (paths.join('\n') !== sorted.join('\n')) problems.push(`${manifest}: lines not sorted`);
    if (new Set(paths).size !== paths.length) problems.push(`${manifest}: a path listed twice`);
    const expected = manifest.startsWith('tag') ? tags : payload;
    for (const path of expected) if (!paths.includes(path)) problems.push(`${manifest}: ${path} not listed`);
    for (const path of paths)
      if (!expected.includes(path)) problems.push(`${manifest}: ${path} does not belong here`);
  }
  const info = files.includes('bag-info.txt') ? read('bag-info.txt').toString('utf8') : '';
  const oxum = /^Payload-Oxum: (\d+)\.(\d+)$/m.exec(info);
  const bytes = payload.reduce((sum, p) => sum + statSync(join(bagDir, p)).size, 0);
  if (!oxum || Number(oxum[1]) !== bytes || Number(oxum[2]) !== payload.length)
    problems.push(`Payload-Oxum ${oxum?.[0]} does not match ${bytes}.${payload.length}`);
  for (const line of info.split('\n').filter(Boolean))
    if (!/^[ \t]/.test(line) && !/^[^:\s][^:]*: \S/.test(line))
      problems.push(`bag-info.txt: bad line ${line}`);
  return problems;
}
