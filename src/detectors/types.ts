// The one small interface every detector implements: metadata plus a run over the analysis context.
import type { AnalysisContext } from '../analysis/context.js';
import type { Aspect, Category, CheckOutcome, Finding, Severity } from '../types.js';

export interface DetectorMeta {
  /** Check id, also the `check` of its findings. Equal to the file name. */
  id: string;
  title: string;
  category: Category;
  aspect: Aspect;
  /** One sentence: what the check looks at. */
  description: string;
}

export interface DetectorResult {
  outcome: CheckOutcome;
  /** Why the check could not assess, or a short summary of what it measured. */
  note?: string;
  findings: Finding[];
}

export interface Detector {
  meta: DetectorMeta;
  run(ctx: AnalysisContext): DetectorResult | Promise<DetectorResult>;
}

type FindingInput = Omit<Finding, 'check' | 'aspect' | 'category'> &
  Partial<Pick<Finding, 'aspect' | 'category'>> & { severity: Severity };

/** Builds a finding that inherits check id, aspect and category from the detector's meta. */
export function finding(meta: DetectorMeta, input: FindingInput): Finding {
  const out: Finding = {
    id: input.id,
    check: meta.id,
    severity: input.severity,
    aspect: input.aspect ?? meta.aspect,
    category: input.category ?? meta.category,
    title: input.title,
    detail: input.detail,
  };
  if (input.at !== undefined && Number.isFinite(input.at)) out.at = round3(input.at);
  if (input.end !== undefined && Number.isFinite(input.end)) out.end = round3(input.end);
  if (input.evidence) out.evidence = input.evidence;
  return out;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function notAssessable(note: string): DetectorResult {
  return { outcome: 'not-assessable', note, findings: [] };
}

/** Outcome from findings: any warning/critical makes the check inconsistent. */
export function fromFindings(findings: Finding[], note?: string): DetectorResult {
  const bad = findings.some((f) => f.severity !== 'info');
  const result: DetectorResult = { outcome: bad ? 'inconsistent' : 'consistent', findings };
  if (note) result.note = note;
  return result;
}
