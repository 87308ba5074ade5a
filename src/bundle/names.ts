// File names inside and beside a bundle: portable replacements, output stems, one-line escapes.

/**
 * Characters that break a path on some system or in a BagIt manifest line: CR, LF and `%` (manifests
 * percent-encode them, and `sha256sum -c` would then read another name), the Windows-reserved
 * `\ : * ? " < > |`, every control character (C0, DEL, C1), the Unicode line and paragraph
 * separators (Python's line reading, used by bagit-python, splits manifest lines at them), and the
 * bidi embeddings, overrides and isolates (after U+202E, "gpj.exe" reads as "exe.jpg": a reordered
 * name misleads whoever reads a listing or the output of `sha256sum -c`).
 */
const UNPORTABLE = /[\r\n%\\:*?"<>|\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Windows refuses these device names as file names, whatever the extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/** Replacement for a character that cannot stay; visible, and the same on every system. */
const REPLACEMENT = '_';

/**
 * A file name that survives every common file system and checksum tool, with as little change as
 * possible: Chinese and inner spaces stay. Edge spaces and trailing dots (Windows drops them silently,
 * so the extracted name would no longer match the manifest) are replaced too, and a Windows device
 * name (CON, NUL…) gets a leading `_`.
 */
export function portableName(name: string): string {
  let out = name.replace(UNPORTABLE, REPLACEMENT);
  // Any Unicode space at an edge (U+3000 too): validators strip it from manifest lines.
  out = out.replace(/^\s+/, (m) => REPLACEMENT.repeat(m.length));
  out = out.replace(/[\s.]+$/, (m) => REPLACEMENT.repeat(m.length));
  if (WINDOWS_DEVICE.test(out)) out = `${REPLACEMENT}${out}`;
  if (out === '' || out === '.' || out === '..') out = REPLACEMENT.repeat(Math.max(1, out.length));
  return out;
}

/** UTF-8 byte length. */
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let out = '';
  for (const char of text) {
    if (utf8Length(out + char) > maxBytes) break;
    out += char;
  }
  return out;
}

/**
 * The stem used to name the bundle: the portable name without its extension and leading dots (an
 * output named ".x-evidence.zip" would be hidden). Bounded so that "<stem>-evidence-NN.zip.sha256"
 * stays within the 255-byte name limit of common file systems.
 */
export function bundleStem(originalName: string): string {
  const portable = portableName(originalName);
  const dot = portable.lastIndexOf('.');
  const stem = (dot > 0 ? portable.slice(0, dot) : portable).replace(/^\.+/, '');
  return truncateUtf8(stem, 200).replace(/[ .]+$/, '') || 'recording';
}

/** Name of a bag for `stem`, with the `-2`, `-3`… suffix when the plain name is taken. */
export function bagName(stem: string, attempt: number): string {
  return attempt <= 1 ? `${stem}-evidence` : `${stem}-evidence-${attempt}`;
}

/**
 * Escapes a verbatim name so that it stays on one line of a tag file and can be read back exactly:
 * backslash and every character that could end or break a line become C-style escapes, and so do the
 * bidi overrides and isolates, which would show the line reordered.
 */
export function escapeOneLine(text: string): string {
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** Reverses `escapeOneLine`. */
export function unescapeOneLine(text: string): string {
  return text.replace(/\\(\\|n|r|t|u[0-9a-f]{4})/g, (_, code: string) => {
    if (code === '\\') return '\\';
    if (code === 'n') return '\n';
    if (code === 'r') return '\r';
    if (code === 't') return '\t';
    return String.fromCharCode(Number.parseInt(code.slice(1), 16));
  });
}

/**
 * Free text for a tag value: control characters (CR, LF, tabs…) and bidi overrides/isolates (which would
 * show the line reordered) become spaces, runs collapse.
 */
export function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
