// The review stage after the detectors: writers' known habits explained, weak signs that coincide
// raised, and "listen here" marks capped, so a report's warnings rest on signs genuine recordings lack.
import type { CheckResult, Finding } from '../types.js';
import { explainByWriter, type QuirkTable, type Writers } from './quirks.js';

/**
 * Strong signs of independent families (background, hum, bandwidth) within this many seconds of each
 * other point at one moment: a join inside a pause moves the background and the hum at the same window.
 * Weak marks do not take part: on genuine recordings a noise gate or a dropout moves the background, the
 * waveform and the digital silence together (one cause, several marks), so only marks that meet their
 * detector's strong thresholds (`evidence.strong`) or are warnings already count.
 */
export const COINCIDENCE_SECONDS = 0.5;
/** At most this many "listen here" marks of one kind are listed; the rest are counted. */
export const MAX_MARKS_PER_KIND = 5;

const strongSign = (f: Finding): boolean => f.severity === 'warning' || f.evidence?.['strong'] === true;

const familyOf = (f: Finding): string | undefined => {
  const family = f.evidence?.['family'];
  return typeof family === 'string' ? family : undefined;
};

/**
 * Signal marks (info findings carrying a `family`) that coincide with a mark or warning of another
 * family become warnings that name the other sign. A writer-explained finding never takes part.
 */
export function corroborate(findings: readonly Finding[]): Finding[] {
  const signs = findings.filter(
    (f) => familyOf(f) && strongSign(f) && f.at !== undefined && !f.evidence?.['writerQuirk'],
  );
  return findings.map((f) => {
    const family = familyOf(f);
    if (
      f.severity !== 'info' ||
      !family ||
      !strongSign(f) ||
      f.at === undefined ||
      f.evidence?.['writerQuirk']
    )
      return f;
    const start = f.at;
    const end = f.end ?? f.at;
    const partners = signs.filter((g) => {
      if (familyOf(g) === family) return false;
      const gStart = g.at!;
      const gEnd = g.end ?? gStart;
      // Distance between the two spans, or between a span's edges and a point.
      const gap = Math.max(0, gStart - end, start - gEnd);
      const edge = Math.min(Math.abs(gStart - start), Math.abs(gStart - end), Math.abs(gEnd - start));
      return gap <= COINCIDENCE_SECONDS || edge <= COINCIDENCE_SECONDS;
    });
    if (partners.length === 0) return f;
    const names = [...new Set(partners.map((g) => `${g.id} at ${g.at} s`))].join(', ');
    return {
      ...f,
      severity: 'warning',
      title: f.title.replace(/ \(listen here\)$/i, ''),
      detail: `${f.detail} An independent sign falls at the same moment (${names}): two different signs of a join coincide here.`,
      evidence: { ...(f.evidence ?? {}), coincidesWith: partners.map((g) => g.id) },
    };
  });
}

/** How strong a mark is, from the measure its detector recorded (a strong mark outranks any weak one). */
export const strengthOf = (f: Finding): number => {
  const e = f.evidence ?? {};
  for (const key of ['shapeQ', 'fluxZ', 'excessDb', 'score', 'samples', 'seconds']) {
    const v = e[key];
    if (typeof v === 'number' && Number.isFinite(v)) return Math.abs(v) + (e['strong'] ? 1e6 : 0);
  }
  return e['strong'] ? 1e6 : 0;
};

/**
 * Keeps the strongest MAX_MARKS_PER_KIND placed info marks of each finding id (writer-explained findings
 * are kept apart under their own key) and adds one finding that counts the rest.
 */
export function capMarks(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.severity !== 'info' || f.at === undefined) continue;
    const key = `${f.check}\u0000${f.id}\u0000${String(f.evidence?.['writerQuirk'] ?? '')}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const dropped = new Set<Finding>();
  const counts: Finding[] = [];
  for (const list of groups.values()) {
    if (list.length <= MAX_MARKS_PER_KIND) continue;
    const ranked = [...list].sort((a, b) => strengthOf(b) - strengthOf(a));
    const rest = ranked.slice(MAX_MARKS_PER_KIND);
    for (const f of rest) dropped.add(f);
    const first = list[0]!;
    const quirk = first.evidence?.['writerQuirk'];
    counts.push({
      id: 'more-marks',
      check: first.check,
      severity: 'info',
      aspect: first.aspect,
      category: first.category,
      title: `${rest.length} more ${quirk ? 'known-behaviour notes' : 'weaker marks'} like "${first.id}" not listed`,
      detail:
        `${list.length} marks of this kind in all; the ${MAX_MARKS_PER_KIND} strongest are listed. ` +
        `The others lie at ${rest
          .map((f) => f.at!)
          .sort((a, b) => a - b)
          .slice(0, 50)
          .map((t) => `${t} s`)
          .join(', ')}${rest.length > 50 ? ' …' : ''}.`,
      evidence: {
        finding: first.id,
        total: list.length,
        listed: MAX_MARKS_PER_KIND,
        more: rest.length,
        known: quirk !== undefined,
        ...(quirk ? { writerQuirk: quirk } : {}),
      },
    });
  }
  if (dropped.size === 0) return [...findings];
  return [...findings.filter((f) => !dropped.has(f)), ...counts];
}

/** A check's outcome follows its findings after review: inconsistent only while it has a warning or worse. */
function settle(checks: readonly CheckResult[], findings: readonly Finding[]): CheckResult[] {
  return checks.map((check) => {
    const own = findings.filter((f) => f.check === check.id);
    const bad = own.some((f) => f.severity !== 'info');
    if (check.outcome === 'inconsistent' && !bad) {
      const explained = own.filter((f) => f.evidence?.['writerQuirk']).length;
      const note = explained
        ? `${check.note ? `${check.note}; ` : ''}${explained} sign(s) explained by the writer's known behaviour`
        : check.note;
      return { ...check, outcome: 'consistent', ...(note ? { note } : {}) };
    }
    if (check.outcome === 'consistent' && bad) return { ...check, outcome: 'inconsistent' };
    return check;
  });
}

export interface ReviewInput {
  checks: readonly CheckResult[];
  findings: readonly Finding[];
  writers: Writers;
  quirks: QuirkTable;
  /** Decoded (or declared) duration, seconds: where "at the end" is. */
  duration?: number;
}

/** Runs the review in order: explain by writer, corroborate, cap; then settles the checks' outcomes. */
export function review(input: ReviewInput): { checks: CheckResult[]; findings: Finding[] } {
  const explained = explainByWriter(input.findings, input.writers, input.quirks, input.duration);
  const findings = capMarks(corroborate(explained));
  return { checks: settle(input.checks, findings), findings };
}
