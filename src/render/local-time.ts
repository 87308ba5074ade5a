// Clock times for people: "2024-06-23 01:25:22 +08:00" in the user's zone (TZ, or --timezone); JSON keeps UTC.
import { AudioEvidenceError } from '../errors.js';

const pad = (n: number): string => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** True when `name` is a time zone this Node's ICU knows ("Asia/Shanghai", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A user-given zone name, checked; a bad one is bad usage (exit 2). */
export function checkTimeZone(name: string): string {
  if (isTimeZone(name)) return name;
  const detail = `unknown time zone "${name}" (an IANA name such as Asia/Shanghai, Europe/Berlin or UTC)`;
  throw new AudioEvidenceError('usage', detail, { params: { detail } });
}

/**
 * The zone to show times in: the one given, else TZ when it names a zone ("Asia/Shanghai"; a POSIX
 * string like ":/etc/localtime" is left to the system), else the system's own.
 */
export function resolveTimeZone(given?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (given !== undefined) return checkTimeZone(given);
  const tz = env['TZ']?.replace(/^:/, '');
  if (tz && isTimeZone(tz)) return tz;
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock of `date` in `zone` and that zone's offset from UTC at that instant, in minutes. */
export function wallClock(
  date: Date,
  zone: string,
): { y: number; mo: number; d: number; h: number; mi: number; s: number; offset: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(date))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const y = parts['year'] ?? 1970;
  const mo = parts['month'] ?? 1;
  const d = parts['day'] ?? 1;
  const h = (parts['hour'] ?? 0) % 24;
  const mi = parts['minute'] ?? 0;
  const s = parts['second'] ?? 0;
  const whole = Math.floor(date.getTime() / 1000) * 1000;
  const offset = Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - whole) / 60_000);
  return { y, mo, d, h, mi, s, offset };
}

/** "+08:00", "-05:30", "+00:00". */
export function offsetText(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/** A date (or an ISO-8601 string) as "YYYY-MM-DD hh:mm:ss +hh:mm" in `zone`; a string that is no date stays as it is. */
export function localTime(value: Date | string, zone: string): string {
  const date = typeof value === 'string' ? parseTime(value) : value;
  if (!date) return String(value);
  const c = wallClock(date, zone);
  return `${String(c.y).padStart(4, '0')}-${pad(c.mo)}-${pad(c.d)} ${pad(c.h)}:${pad(c.mi)}:${pad(c.s)} ${offsetText(c.offset)}`;
}

/** "YYYY-MM-DD" of `date` in `zone`. */
export function localDay(date: Date, zone: string): string {
  const c = wallClock(date, zone);
  return `${String(c.y).padStart(4, '0')}-${pad(c.mo)}-${pad(c.d)}`;
}

/** ISO-8601 with the zone's offset, milliseconds kept ("2024-06-23T01:25:22.120+08:00"), for custody logs. */
export function isoInZone(date: Date, zone: string): string {
  const c = wallClock(date, zone);
  const ms = String(((date.getTime() % 1000) + 1000) % 1000).padStart(3, '0');
  return `${String(c.y).padStart(4, '0')}-${pad(c.mo)}-${pad(c.d)}T${pad(c.h)}:${pad(c.mi)}:${pad(c.s)}.${ms}${offsetText(c.offset)}`;
}

/** Only full ISO-8601 date-times with a zone (Z or an offset) are taken as instants; anything else is not guessed at. */
function parseTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()))
    return undefined;
  const date = new Date(text.trim().replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * What the container's creation time marks, from the recorder the writer check identified (the
 * `creationTime` of its entry in templates/signatures.json): the start or the end of the recording, or
 * unknown when no recorder with that knowledge was identified (or two disagree).
 */
export function creationTimeMeaning(result: {
  findings: ReadonlyArray<{ id: string; check: string; evidence?: Record<string, unknown> }>;
}): 'start' | 'end' | undefined {
  const meanings = new Set<string>();
  for (const finding of result.findings) {
    const value = finding.check === 'writer-signature' ? finding.evidence?.['creationTime'] : undefined;
    if (value === 'start' || value === 'end') meanings.add(value);
  }
  // Without a table entry, the time check's own reading of the writer (its "convention") is used.
  if (meanings.size === 0)
    for (const finding of result.findings) {
      const value = finding.id === 'recording-time' ? finding.evidence?.['convention'] : undefined;
      if (value === 'start' || value === 'end') meanings.add(value);
    }
  return meanings.size === 1 ? (meanings.values().next().value as 'start' | 'end') : undefined;
}

/** Instants the detectors write in their titles: ISO-8601 UTC, or "2024-05-01 08:30:00 UTC". */
const UTC_INSTANT = /\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:Z| UTC)\b/g;

/** A text with every UTC instant in it shown as the local time of `zone`, with the offset. */
export function localizeTimes(text: string, zone: string): string {
  return text.replace(UTC_INSTANT, (_, day: string, time: string) => localTime(`${day}T${time}Z`, zone));
}
