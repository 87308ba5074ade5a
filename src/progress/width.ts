// Terminal cell width of text: Chinese and other wide characters take two cells, so columns and a
// progress line that must fit one terminal row are measured in cells, not in string length.

/** Code point ranges that East Asian terminals draw two cells wide (Unicode EAW W and F, emoji). */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Cells one code point takes: 0 for combining marks and controls, 2 for wide characters, else 1. */
export function charWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || (codePoint >= 0x200b && codePoint <= 0x200f)) return 0;
  if (codePoint === 0xfe0f) return 0;
  for (const [start, end] of WIDE) if (codePoint >= start && codePoint <= end) return 2;
  return 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** `text` padded with spaces to `width` cells (never cut). */
export function padCells(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** The longest start of `text` that fits in `width` cells. */
function head(text: string, width: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width) break;
    out += char;
    used += w;
  }
  return out;
}

/** The longest end of `text` that fits in `width` cells. */
function tail(text: string, width: number): string {
  const chars = [...text];
  let out = '';
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i] as string;
    const w = charWidth(char.codePointAt(0) ?? 0);
    if (used + w > width) break;
    out = char + out;
    used += w;
  }
  return out;
}

/**
 * The mark for cut text. ASCII on purpose: "…" and block characters are "ambiguous width" and take two
 * cells in many Chinese terminal setups, which would push a line past the edge and wrap it.
 */
export const ELLIPSIS = '...';

/**
 * `text` cut to at most `width` cells with "..." in the middle, so both the start of a path and the end
 * of a file name (its extension, a "-evidence-2.zip" suffix) stay visible.
 */
export function fitMiddle(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= ELLIPSIS.length) return head(text, Math.max(0, width));
  const room = width - ELLIPSIS.length;
  const start = head(text, Math.ceil(room / 2));
  return `${start}${ELLIPSIS}${tail(text, room - textWidth(start))}`;
}

/** `text` cut to at most `width` cells at the end, with "..." when something was dropped. */
export function fitEnd(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= ELLIPSIS.length) return head(text, Math.max(0, width));
  return `${head(text, width - ELLIPSIS.length)}${ELLIPSIS}`;
}
