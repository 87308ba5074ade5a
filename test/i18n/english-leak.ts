// Finds English words in text meant to be Chinese, outside quoted technical values (names, hashes, codes).

/**
 * Words that are names, not English prose: tools, systems, formats, units. Compared in lower case. Anything
 * all-capitals (AAC, SHA, RIFF), with a digit (MP3, Lavf58), joined by "-", "_", "." or "/" (file names,
 * ids, paths) or with a capital inside (BagIt, iPhone, macOS) is a name too and needs no entry here.
 */
const NAMES = new Set(
  [
    'audio-evidence',
    'ffmpeg',
    'ffprobe',
    'node',
    'linux',
    'windows',
    'powershell',
    'certutil',
    'shasum',
    'sha256sum',
    'cksum',
    'unzip',
    'coreutils',
    'python',
    'bagit',
    'zip',
    'opus',
    'vorbis',
    'ogg',
    'flac',
    'silk',
    'xing',
    'info',
    'lame',
    'lavf',
    'lavc',
    'libavformat',
    'libavcodec',
    'libopus',
    'android',
    'iphone',
    'apple',
    'google',
    'huawei',
    'xiaomi',
    'honor',
    'samsung',
    'oppo',
    'oneplus',
    'realme',
    'coloros',
    'miui',
    'telegram',
    'whatsapp',
    'discord',
    'imessage',
    'zoom',
    'tascam',
    'sony',
    'olympus',
    'philips',
    'aigo',
    'newsmy',
    'nero',
    'fdkaac',
    'qaac',
    'faac',
    'adobe',
    'audition',
    'premiere',
    'bridge',
    'quicktime',
    'itunes',
    'stagefright',
    'chrome',
    'webm',
    'gpac',
    'foobar2000',
    'dbpoweramp',
    'mediacoder',
    'garageband',
    'imovie',
    'wechat',
    'qq',
    'youtube',
    'hz',
    'khz',
    'dbfs',
    'db',
    'kbit',
    'kib',
    'mib',
    'gib',
    'kb',
    'mb',
    'gb',
    'ms',
    'utc',
    'gmt',
    'http',
    'https',
    'nonce',
    'und',
    'cmd',
    'aac',
    'curl',
    'matroska',
    'mvhd',
    'tkhd',
    'mdhd',
    'ftyp',
    'moov',
    'mdat',
    'atom',
  ].map((w) => w.toLowerCase()),
);

/**
 * Spans that quote technical values verbatim: commands, `code`, "…", '…', “…”, 「…」, URLs, option names, file
 * extensions, hashes.
 */
const QUOTED = [
  /\baudio-evidence(?:\s+(?:inspect|pack|verify|hash|timestamp|profile(?:\s+learn)?|help)\b)?/g,
  /`[^`\n]*`/g,
  /"[^"\n]*"/g,
  /“[^”\n]*”/g,
  /「[^」\n]*」/g,
  /(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])/g,
  /\b[a-z][a-z0-9+.-]*:\/\/\S*/g,
  /(?<![A-Za-z0-9])--[a-z][a-z0-9-]*/g,
  /(?<![A-Za-z0-9])(?:\.[A-Za-z0-9]+)+/g,
  /\b[0-9a-f]{16,}\b/gi,
];

const WORD = /[A-Za-z][A-Za-z0-9]*(?:[-_./\\+'][A-Za-z0-9]+)*[/\\]?/g;

function isName(word: string, allowed: ReadonlySet<string>): boolean {
  if (word.length === 1) return true;
  if (/[0-9\-_./\\+]/.test(word)) return true;
  if (/^[A-Z]+s?$/.test(word)) return true;
  if (/^[A-Za-z][a-z]*[A-Z]/.test(word)) return true;
  const lower = word.toLowerCase();
  return NAMES.has(lower) || allowed.has(lower);
}

export interface Leak {
  word: string;
  context: string;
}

/**
 * English words in `text` outside quoted technical values. `allowed` adds values the file itself holds
 * (tags, encoder names, file names): a document quotes them as they are.
 */
export function englishLeaks(text: string, allowed: Iterable<string> = []): Leak[] {
  const allow = new Set<string>();
  for (const value of allowed) for (const m of value.matchAll(WORD)) allow.add(m[0].toLowerCase());
  let rest = text;
  for (const re of QUOTED) rest = rest.replace(re, (m) => ' '.repeat(m.length));
  const leaks: Leak[] = [];
  for (const m of rest.matchAll(WORD)) {
    if (isName(m[0], allow)) continue;
    const at = m.index ?? 0;
    leaks.push({ word: m[0], context: text.slice(Math.max(0, at - 40), at + 60).replace(/\s+/g, ' ') });
  }
  return leaks;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text a reader sees in an HTML document, without the parts that quote technical values as they are:
 * <code>, <q>, <kbd>, <samp>, monospace spans (ids, paths, hashes), style and script.
 */
export function htmlText(html: string): string {
  return html
    .replace(/<(style|script|code|q|kbd|samp)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<span class="mono[^"]*">[^<]*<\/span>/g, ' ')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X'))
        return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
      return ENTITIES[e] ?? whole;
    });
}

/** A line of a plain-text document that is a command to type (indented, starting with a program or shell syntax). */
const COMMAND_LINE =
  /^\s{2,}(?:[A-Za-z]+(?: [A-Za-z]+)?[:：]\s+)?(?:sha256sum|shasum|cksum|certutil|openssl|cd|chcp|bagit\.py|audio-evidence|Get-\w+|\$|if |\}|\(Get)/;

/** `text` without its command lines, which quote commands as they are typed. */
export function withoutCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !COMMAND_LINE.test(line))
    .join('\n');
}
