// The waveform picture: numbered labels that never print over each other, and minor marks as hairlines.
import { describe, expect, it } from 'vitest';
import type { NumberedFinding } from '../../src/render/model.js';
import { waveformSvg } from '../../src/render/waveform.js';
import type { Finding, TimelineInfo } from '../../src/types.js';
import { realInspection } from './helpers.js';

const LABELS = { aria: 'waveform', speech: 'speech', axis: 'time' };

function mark(number: number, at: number, severity: Finding['severity'] = 'warning'): NumberedFinding {
  return {
    number,
    finding: {
      id: 'splice-candidate',
      check: 'splice-discontinuity',
      severity,
      aspect: 'integrity',
      category: 'signal',
      title: `Mark ${number}`,
      detail: '',
      at,
    },
  };
}

/** The number bubbles of the picture: centre and the number they carry. */
function bubbles(svg: string): Array<{ x: number; y: number; title: string }> {
  return [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="11"[^>]*><title>([^<]*)<\/title>/g)].map(
    (m) => ({ x: Number(m[1]), y: Number(m[2]), title: m[3]! }),
  );
}

describe('waveformSvg', () => {
  it('never prints a number bubble over another, even for a cluster at the very end', async () => {
    const timeline = (await realInspection()).timeline as TimelineInfo;
    const end = timeline.duration;
    // Twelve signs within the last half second, and three spread out earlier.
    const cluster = Array.from({ length: 12 }, (_, i) => mark(i + 1, end - 0.5 + i * 0.04));
    const spread = [mark(13, 1), mark(14, end / 2), mark(15, end / 2 + 0.05)];
    const svg = waveformSvg(timeline, [...cluster, ...spread], LABELS)!;
    const drawn = bubbles(svg);
    expect(drawn.length).toBeGreaterThanOrEqual(6);
    for (const [i, a] of drawn.entries())
      for (const b of drawn.slice(i + 1))
        if (a.y === b.y) expect(Math.abs(a.x - b.x), `${a.title} / ${b.title}`).toBeGreaterThanOrEqual(22);
    // A sign without room for its bubble keeps its line on the timeline, with its title.
    for (const n of [...cluster, ...spread])
      expect(svg).toContain(`<title>#${n.number} Mark ${n.number}</title>`);
    for (const n of spread) expect(drawn.map((d) => d.title)).toContain(`#${n.number} Mark ${n.number}`);
  });

  it('draws minor marks as thin lines without a number', async () => {
    const timeline = (await realInspection()).timeline as TimelineInfo;
    const svg = waveformSvg(timeline, [mark(1, 2, 'info'), mark(2, 8, 'info'), mark(3, 12)], {
      ...LABELS,
      minor: new Set([1, 2]),
    })!;
    expect(bubbles(svg).map((b) => b.title)).toEqual(['#3 Mark 3']);
    expect(svg).toMatch(/<line [^>]*stroke-width="0.8"[^>]*><title>#1 Mark 1<\/title>/);
    expect(svg).toMatch(/<line [^>]*stroke-width="0.8"[^>]*><title>#2 Mark 2<\/title>/);
  });
});
