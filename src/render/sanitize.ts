// Makes values taken from the recording (names, tags, finding text) safe to place in documents.

/** Bidi overrides/isolates and marks that can reorder what a reader sees (U+202A–U+202E, U+2066–U+2069). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** C0/C1 controls (invalid in XML, dangerous in terminals) and the XML non-characters. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/g;
/** A surrogate half without its partner is not valid UTF-16; XML and DOCX writers reject it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The default length (in characters) of one value in a document. */
export const MAX_VALUE = 400;

/** Turns any tag value into text: strings as they are, structures as compact JSON, bytes by their count. */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  try {
    return JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Uint8Array ? `[${v.length} bytes]` : typeof v === 'bigint' ? String(v) : v,
    );
  } catch {
    return String(value);
  }
}

/**
 * One line of plain, visible text: line breaks become spaces, control and bidi characters become U+FFFD
 * (so a reader sees that something was there), and over-long values are cut at `max` characters with
 * `more(count)` appended.
 */
export function clean(value: unknown, max = MAX_VALUE, more?: (count: number) => string): string {
  let text = toText(value);
  // Cut before the regex work so a megabyte tag costs little; keep a margin for what the cleaning removes.
  const cutAt = max * 2 + 2;
  const tail = text.length > cutAt ? text.length - cutAt : 0;
  if (tail > 0) text = text.slice(0, cutAt);
  text = text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROL, '\ufffd')
    .replace(BIDI, '\ufffd');
  const chars = Array.from(text);
  if (chars.length <= max && tail === 0) return text;
  const dropped = Math.max(0, chars.length - max) + tail;
  const kept = chars.slice(0, max).join('');
  return kept + (more ? more(dropped) : `… (+${dropped})`);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
