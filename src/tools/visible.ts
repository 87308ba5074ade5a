// Text from files and bundles made safe to print on a terminal, and file names in sha256sum's own form.

/** Control characters (C0, DEL, C1), line and paragraph separators, and bidi embeddings/overrides/isolates. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A path or detail for the terminal: control characters (escape sequences, CR, NUL) and bidi overrides in
 * a name must not act on the terminal (paint a fake line, hide text); they are shown as \uXXXX so the name
 * can still be recognised.
 */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One line as `sha256sum` writes it, `<digest>  <name>`, readable back by `sha256sum -c`: a name with a
 * backslash, LF or CR is written the way GNU coreutils does (the line starts with "\", and the name has
 * "\\", "\n", "\r"). With `forTerminal`, the other control characters are also shown as \uXXXX.
 */
export function checksumLine(digest: string, name: string, forTerminal = false): string {
  const escaped = /[\\\n\r]/.test(name);
  let shown = name.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r'));
  if (forTerminal) shown = visible(shown);
  return `${escaped ? '\\' : ''}${digest}  ${shown}`;
}

/**
 * `JSON.stringify(value, null, 2)`, with the characters JSON leaves raw but a terminal acts on (DEL, C1
 * controls such as the one-byte CSI, line separators, bidi overrides) written as \uXXXX escapes: the same
 * JSON value, safe to print.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
