// The review stage: coinciding strong signs of different families warn; weak or same-family ones do not;
// writer-explained findings never take part; marks are capped per kind; checks follow their findings.
import { describe, expect, it } from 'vitest';
import { loadQuirks } from '../../src/analysis/quirks.js';
import { capMarks, corroborate, MAX_MARKS_PER_KIND, review } from '../../src/analysis/review.js';
import type { Finding } from '../../src/types.js';

const mark = (
  id: string,
  at: number,
  evidence: Record<string, unknown>,
  severity: Finding['severity'] = 'info',
): Finding => ({
  id,
  check: id,
  severity,
  aspect: 'integrity',
  category: 'signal',
  title: `${id} at ${at} s`,
  detail: 'measured',
  at,
  evidence,
});

describe('corroborate', () => {
  it('raises two strong marks of different families at one moment', () => {
    const out = corroborate([
      mark('background-step', 8.86, { family: 'background', strong: true }),
      mark('mains-hum-phase-jump', 8.9, { family: 'hum', strong: true }),
    ]);
    expect(out.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(out[0]!.evidence?.['coincidesWith']).toEqual(['mains-hum-phase-jump']);
  });

  it('leaves marks of one family, weak marks and distant marks alone', () => {
    const same = corroborate([
      mark('background-step', 8.86, { family: 'background', strong: true }),
      mark('splice-candidate', 8.9, { family: 'background', strong: true }),
    ]);
    const weak = corroborate([
      mark('background-step', 8.86, { family: 'background', strong: true }),
      mark('splice-candidate', 8.9, { family: 'waveform' }),
    ]);
    const far = corroborate([
      mark('background-step', 8.86, { family: 'background', strong: true }),
      mark('mains-hum-phase-jump', 10, { family: 'hum', strong: true }),
    ]);
    for (const out of [same, weak, far]) expect(out.every((f) => f.severity === 'info')).toBe(true);
  });

  it('raises a strong mark that falls at the edge of a warning span of another family', () => {
    const out = corroborate([
      mark('background-step', 12.75, { family: 'background', strong: true }),
      { ...mark('mains-hum-absent', 8.9, { family: 'hum' }, 'warning'), end: 12.7 },
    ]);
    expect(out[0]!.severity).toBe('warning');
  });

  it('never uses a writer-explained finding', () => {
    const out = corroborate([
      mark('background-step', 8.86, { family: 'background', strong: true }),
      mark('mains-hum-phase-jump', 8.9, { family: 'hum', strong: true, writerQuirk: 'x' }),
    ]);
    expect(out[0]!.severity).toBe('info');
  });
});

describe('capMarks', () => {
  it('keeps the strongest marks of a kind and counts the rest with their times', () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      mark('background-step', i, { family: 'background', shapeQ: i }),
    );
    const out = capMarks(many);
    const kept = out.filter((f) => f.id === 'background-step');
    expect(kept).toHaveLength(MAX_MARKS_PER_KIND);
    expect(kept.map((f) => f.at).sort((a, b) => a! - b!)).toEqual([7, 8, 9, 10, 11]);
    const more = out.find((f) => f.id === 'more-marks')!;
    expect(more.severity).toBe('info');
    expect(more.evidence).toMatchObject({
      finding: 'background-step',
      total: 12,
      listed: MAX_MARKS_PER_KIND,
    });
    expect(more.detail).toContain('0 s, 1 s, 2 s');
  });

  it('never drops a warning', () => {
    const many = Array.from({ length: 9 }, (_, i) =>
      mark('splice-candidate', i, { family: 'waveform' }, 'warning'),
    );
    expect(capMarks(many)).toHaveLength(9);
  });
});

describe('review', () => {
  const quirks = loadQuirks();
  const gap = (content: string): Finding => ({
    ...mark(
      'unreferenced-mdat-bytes',
      4.096,
      { kind: 'unreferenced-mdat-bytes', bytes: 508, content, atMdatStart: false },
      'warning',
    ),
    check: 'frame-damage',
    category: 'structure',
  });

  it("explains an oddity the identified writer is known to leave, and settles the check's outcome", () => {
    const out = review({
      checks: [{ id: 'frame-damage', outcome: 'inconsistent' }],
      findings: [gap('boxes:moof,mdat')],
      writers: new Map([['apple-core-media', 'Apple Core Media (AVFoundation)']]),
      quirks,
    });
    expect(out.findings[0]).toMatchObject({
      severity: 'info',
      evidence: { writerQuirk: 'apple-recovery-fragments' },
    });
    expect(out.findings[0]!.detail).toContain('crash-recovery');
    expect(out.checks[0]!.outcome).toBe('consistent');
  });

  it('keeps the warning when the bytes are not what the writer leaves, or the writer is another', () => {
    const data = review({
      checks: [{ id: 'frame-damage', outcome: 'inconsistent' }],
      findings: [gap('data')],
      writers: new Map([['apple-core-media', 'Apple Core Media (AVFoundation)']]),
      quirks,
    });
    const other = review({
      checks: [{ id: 'frame-damage', outcome: 'inconsistent' }],
      findings: [gap('boxes:moof,mdat')],
      writers: new Map([['android-mediarecorder', 'Android MediaRecorder']]),
      quirks,
    });
    for (const out of [data, other]) {
      expect(out.findings[0]!.severity).toBe('warning');
      expect(out.checks[0]!.outcome).toBe('inconsistent');
    }
  });

  it('never explains a critical finding', () => {
    const out = review({
      checks: [],
      findings: [{ ...gap('boxes:moof,mdat'), severity: 'critical' }],
      writers: new Map([['apple-core-media', 'Apple Core Media (AVFoundation)']]),
      quirks,
    });
    expect(out.findings[0]!.severity).toBe('critical');
  });

  it('applies an at-the-end habit only at the end of the audio', () => {
    const trailer = (at: number): Finding => ({
      ...mark('trailing-data', at, { kind: 'trailing-data', bytes: 478, content: 'ascii-levels' }, 'warning'),
      check: 'appended-or-concatenated',
    });
    const writers = new Map([['coloros-recorder', 'OPPO/OnePlus/realme ColorOS Recorder']]);
    const end = review({ checks: [], findings: [trailer(4.152)], writers, quirks, duration: 4.152 });
    const middle = review({ checks: [], findings: [trailer(2)], writers, quirks, duration: 4.152 });
    expect(end.findings[0]!.severity).toBe('info');
    expect(middle.findings[0]!.severity).toBe('warning');
  });
});
