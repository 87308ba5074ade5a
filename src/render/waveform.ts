// The waveform picture of the report: inline SVG with speech, findings (numbered, coloured by severity) and a time axis.
import type { Finding, Severity, TimelineInfo } from '../types.js';
import type { NumberedFinding } from './model.js';
import { placeOf } from './model.js';
import { escapeHtml } from './sanitize.js';

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#c62828',
  warning: '#e08600',
  info: '#1e6fd9',
};
export const SPEECH_COLOR = '#b9c0c8';

const WIDTH = 1000;
const LEFT = 14;
const RIGHT = 986;
const LABEL_ROW = 26;
const LABEL_ROWS = 3;
/** Centre-to-centre distance of two number labels in one row. */
const LABEL_GAP = 25;
const WAVE_TOP = LABEL_ROW * LABEL_ROWS + 4;
const WAVE_HEIGHT = 130;
const SPEECH_TOP = WAVE_TOP + WAVE_HEIGHT + 16;
const SPEECH_HEIGHT = 10;
const AXIS_Y = SPEECH_TOP + SPEECH_HEIGHT + 6;
const HEIGHT = AXIS_Y + 44;

/** The picture's width and the x of 0 s and of the end, in SVG units: the player turns a click into a time with them. */
export const WAVE_GEOMETRY = { width: WIDTH, left: LEFT, right: RIGHT } as const;

/** Tick spacings a reader can count with, in seconds. */
const STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400];

function tickStep(duration: number): number {
  for (const step of STEPS) if (duration / step <= 10) return step;
  return Math.ceil(duration / 10 / 3600) * 3600;
}

function tickLabel(seconds: number, long: boolean, fine: boolean): string {
  const s = Math.round(seconds * 10) / 10;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  const secText = fine ? `${pad(sec)}.${Math.round((sec % 1) * 10)}` : pad(sec);
  return long ? `${h}:${pad(m)}:${secText}` : `${pad(m)}:${secText}`;
}

const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface WaveformLabels {
  aria: string;
  speech: string;
  axis: string;
  /** A finding's title in the reader's language (default: its own English title). */
  title?: (finding: Finding) => string;
  /** Numbers of minor marks drawn as thin unlabelled lines (listed in the report's appendix). */
  minor?: ReadonlySet<number>;
}

/** The SVG markup (no external references), or undefined when there is no timeline to draw. */
export function waveformSvg(
  timeline: TimelineInfo | undefined,
  numbered: readonly NumberedFinding[],
  labels: WaveformLabels,
): string | undefined {
  const duration = timeline?.duration;
  if (!timeline || !duration || !Number.isFinite(duration) || duration <= 0) return undefined;
  const x = (t: number): number => LEFT + (Math.min(Math.max(t, 0), duration) / duration) * (RIGHT - LEFT);
  const parts: string[] = [];

  // Peaks are scaled to the loudest moment so quiet recordings stay readable; a floor keeps pure
  // noise from being blown up into a full-height block.
  const peaks = timeline.peaks.filter((p) => Number.isFinite(p));
  const top = Math.max(0.05, ...peaks.map((p) => Math.abs(p)));
  const mid = WAVE_TOP + WAVE_HEIGHT / 2;
  parts.push(
    `<rect x="${LEFT}" y="${WAVE_TOP}" width="${RIGHT - LEFT}" height="${WAVE_HEIGHT}" fill="#fafbfc"/>`,
    `<line x1="${LEFT}" y1="${mid}" x2="${RIGHT}" y2="${mid}" stroke="#d0d4d9" stroke-width="0.5"/>`,
  );
  if (peaks.length > 0) {
    const n = peaks.length;
    const upper: string[] = [];
    const lower: string[] = [];
    for (let i = 0; i < n; i++) {
      const px = LEFT + ((i + 0.5) / n) * (RIGHT - LEFT);
      const amp = Math.max(0.5, (Math.min(1, Math.abs(peaks[i]!) / top) * WAVE_HEIGHT) / 2);
      upper.push(`${r1(px)},${r1(mid - amp)}`);
      lower.push(`${r1(px)},${r1(mid + amp)}`);
    }
    parts.push(
      `<polygon points="${r1(LEFT)},${mid} ${upper.join(' ')} ${r1(RIGHT)},${mid} ${lower.reverse().join(' ')}" fill="#4a5563"/>`,
    );
  }

  // Speech band under the waveform.
  parts.push(
    `<rect x="${LEFT}" y="${SPEECH_TOP}" width="${RIGHT - LEFT}" height="${SPEECH_HEIGHT}" fill="#f1f3f5"/>`,
  );
  for (const [start, end] of timeline.speech) {
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) continue;
    parts.push(
      `<rect x="${r1(x(start))}" y="${SPEECH_TOP}" width="${r1(Math.max(0.8, x(end) - x(start)))}" height="${SPEECH_HEIGHT}" fill="${SPEECH_COLOR}"/>`,
    );
  }
  parts.push(
    `<text x="${RIGHT}" y="${SPEECH_TOP - 1.5}" font-size="12" text-anchor="end" fill="#5f6368">${escapeHtml(labels.speech)}</text>`,
  );

  // Findings: ranges as bands, instants as lines; numbered labels placed in the first row where they fit.
  const rowEnds = Array.from({ length: LABEL_ROWS }, () => Number.NEGATIVE_INFINITY);
  const placed = numbered
    .map((n) => ({ n, place: placeOf(n.finding) }))
    .filter((p): p is { n: NumberedFinding; place: { at: number; end?: number } } => p.place !== undefined)
    .sort((a, b) => a.place.at - b.place.at);
  for (const { n, place } of placed) {
    const color = SEVERITY_COLOR[n.finding.severity] ?? SEVERITY_COLOR.info;
    const x0 = x(place.at);
    const x1 = place.end === undefined ? x0 : Math.max(x0 + 1.5, x(place.end));
    const title = escapeHtml(`#${n.number} ${labels.title ? labels.title(n.finding) : n.finding.title}`);
    // A minor mark is a hairline with no number: dozens of them must not crowd out the signs that matter.
    if (labels.minor?.has(n.number)) {
      parts.push(
        `<line x1="${r1(x0)}" y1="${WAVE_TOP}" x2="${r1(x0)}" y2="${SPEECH_TOP + SPEECH_HEIGHT}" stroke="${color}" stroke-width="0.8" stroke-opacity="0.6"><title>${title}</title></line>`,
      );
      continue;
    }
    if (place.end !== undefined)
      parts.push(
        `<rect x="${r1(x0)}" y="${WAVE_TOP}" width="${r1(x1 - x0)}" height="${SPEECH_TOP + SPEECH_HEIGHT - WAVE_TOP}" fill="${color}" fill-opacity="0.22" stroke="${color}" stroke-width="1"><title>${title}</title></rect>`,
      );
    else
      parts.push(
        `<line x1="${r1(x0)}" y1="${WAVE_TOP}" x2="${r1(x0)}" y2="${SPEECH_TOP + SPEECH_HEIGHT}" stroke="${color}" stroke-width="2"><title>${title}</title></line>`,
      );
    // A label goes above its mark in the first row with room; in a dense cluster it moves right in the
    // least crowded row, and its leader line still points at the exact time.
    const want = Math.min(Math.max(x0, LEFT + 12), RIGHT - 12);
    let row = rowEnds.findIndex((end) => want - end >= LABEL_GAP);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    // No room left before the right edge: the mark keeps its line, and its number stays in the findings
    // list, rather than a bubble printed over another one.
    if (rowEnds[row]! + LABEL_GAP > RIGHT - 12 && want - rowEnds[row]! < LABEL_GAP) continue;
    const cx = Math.min(Math.max(want, rowEnds[row]! + LABEL_GAP), RIGHT - 12);
    rowEnds[row] = cx;
    const cy = LABEL_ROW * (LABEL_ROWS - row) - LABEL_ROW / 2 + 2;
    parts.push(
      `<line x1="${r1(cx)}" y1="${cy + 11}" x2="${r1(x0)}" y2="${WAVE_TOP}" stroke="${color}" stroke-width="1"/>`,
      `<circle cx="${r1(cx)}" cy="${cy}" r="11" fill="${color}"><title>${title}</title></circle>`,
      `<text x="${r1(cx)}" y="${cy + 4.5}" font-size="13" font-weight="700" text-anchor="middle" fill="#fff">${n.number}</text>`,
    );
  }

  // Time axis.
  const step = tickStep(duration);
  const long = duration >= 3600;
  const fine = step < 1;
  parts.push(
    `<line x1="${LEFT}" y1="${AXIS_Y}" x2="${RIGHT}" y2="${AXIS_Y}" stroke="#1d1d1f" stroke-width="1"/>`,
  );
  for (let t = 0; t <= duration + 1e-9; t += step) {
    const tx = x(t);
    const anchor = t === 0 ? 'start' : tx > RIGHT - 40 ? 'end' : 'middle';
    parts.push(
      `<line x1="${r1(tx)}" y1="${AXIS_Y}" x2="${r1(tx)}" y2="${AXIS_Y + 5}" stroke="#1d1d1f" stroke-width="1"/>`,
      `<text x="${r1(tx)}" y="${AXIS_Y + 19}" font-size="13" text-anchor="${anchor}" fill="#1d1d1f">${tickLabel(t, long, fine)}</text>`,
    );
  }
  parts.push(
    `<text x="${RIGHT}" y="${AXIS_Y + 38}" font-size="12" text-anchor="end" fill="#5f6368">${escapeHtml(labels.axis)}</text>`,
  );

  return (
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(labels.aria)}" font-family="system-ui, sans-serif">` +
    parts.join('') +
    '</svg>'
  );
}
