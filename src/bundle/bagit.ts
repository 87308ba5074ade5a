// BagIt 1.0 (RFC 8493) text files: bagit.txt, tag files (bag-info.txt) and manifests, written and read.

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const BAGIT_FILE = 'bagit.txt';
export const BAG_INFO_FILE = 'bag-info.txt';
export const PAYLOAD_MANIFEST = 'manifest-sha256.txt';
export const TAG_MANIFEST = 'tagmanifest-sha256.txt';
/** SM3 sums live in the tag folder, not in a manifest-sm3.txt that BagIt validators reject or skip. */
export const SM3_SUMS = 'meta/sm3sums.txt';
export const EVIDENCE_JSON = 'meta/evidence.json';
export const README_VERIFY = 'meta/README-verify.txt';
export const PAYLOAD_DIR = 'data';

/** Order of paths in manifests: by UTF-8 bytes, the same on every platform and in every language. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** RFC 8493 §2.1.3: CR, LF and % in a manifest path are percent-encoded. */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(path: string): string {
  return path.replace(/%(25|0D|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export interface ManifestEntry {
  path: string;
  digest: string;
}

/** `<hex>  <path>` lines, sorted, LF: the format of `sha256sum`, so `sha256sum -c` works from the bag root. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => compareUtf8(a.path, b.path))
    .map((entry) => `${entry.digest}  ${encodeManifestPath(entry.path)}\n`)
    .join('');
}

export interface ParsedManifest {
  entries: Array<ManifestEntry & { line: number }>;
  /** 1-based numbers of lines that are not `<hex> <path>`. */
  malformed: number[];
}

/** Reads a manifest; digests must be `hexLength` hex digits. Tolerates CRLF and a missing final LF. */
export function parseManifest(text: string, hexLength = 64): ParsedManifest {
  const entries: ParsedManifest['entries'] = [];
  const malformed: number[] = [];
  const pattern = new RegExp(`^([0-9a-fA-F]{${hexLength}})[ \\t]+(.+)$`);
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' && index === lines.length - 1) return;
    const match = pattern.exec(line);
    if (!match) {
      malformed.push(index + 1);
      return;
    }
    entries.push({ digest: match[1]!.toLowerCase(), path: decodeManifestPath(match[2]!), line: index + 1 });
  });
  return { entries, malformed };
}

export type TagField = readonly [label: string, value: string];

/** Lines longer than this are folded at a space (RFC 8493 §2.2.2 recommends 79 characters). */
const FOLD_AT = 79;

/**
 * `Label: value` lines. Values that must be read back exactly (names, digests, counts) are never
 * folded; free text is folded onto continuation lines at a space, which unfolding turns back into
 * that same single space.
 */
export function formatTags(fields: readonly TagField[], exact: ReadonlySet<string> = new Set()): string {
  return fields
    .map(([label, value]) => {
      const line = `${label}: ${value}`;
      if (exact.has(label) || line.length <= FOLD_AT) return `${line}\n`;
      return `${fold(line)}\n`;
    })
    .join('');
}

function fold(line: string): string {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > FOLD_AT) {
    const cut = rest.lastIndexOf(' ', FOLD_AT);
    // A colon-space right after the label is not a place to fold; nor is a text without spaces.
    if (cut <= rest.indexOf(':') + 1) break;
    parts.push(rest.slice(0, cut));
    rest = ` ${rest.slice(cut + 1)}`;
  }
  parts.push(rest);
  return parts.join('\n');
}

export interface ParsedTags {
  fields: TagField[];
  malformed: number[];
}

/** Reads a tag file: `Label: value`, continuation lines starting with a space or tab. */
export function parseTags(text: string): ParsedTags {
  const fields: Array<[string, string]> = [];
  const malformed: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] += line;
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      malformed.push(index + 1);
      return;
    }
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return { fields: fields.map(([label, value]) => [label, value.trim()] as const), malformed };
}

/** All values of `label` (labels may repeat in bag-info.txt; matched case-insensitively as RFC 8493 says). */
export function tagValues(tags: ParsedTags, label: string): string[] {
  const wanted = label.toLowerCase();
  return tags.fields.filter(([l]) => l.toLowerCase() === wanted).map(([, v]) => v);
}

/** "octets.count" of the payload. */
export function payloadOxum(sizes: readonly number[]): string {
  return `${sizes.reduce((sum, size) => sum + size, 0)}.${sizes.length}`;
}
