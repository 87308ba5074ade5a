// The report's player: an <audio> on the bundle's access copy, a clickable waveform and "▶ 2 s before" controls.
import { createHash } from 'node:crypto';
import { detailText } from '../i18n/details.js';
import type { Finding, InspectResult } from '../types.js';
import { findingTitle } from './finding-text.js';
import type { DocumentAccess } from './model.js';
import { type NumberedFinding, placeOf, transcriptPlan } from './model.js';
import { escapeHtml } from './sanitize.js';
import { type DocText, fill } from './text.js';
import { formatTimestamp } from './time.js';
import { WAVE_GEOMETRY } from './waveform.js';

/** How far before a moment the controls start playing: enough to hear what leads into it. */
export const LEAD_SECONDS = 2;
/** Most transcript rows listed in the report; the transcript files hold them all. */
const MAX_ROWS = 500;

/**
 * The only script of the report: seeks the player from the controls and the waveform. No network, no
 * eval; the Content-Security-Policy allows exactly this text by its hash.
 */
const SCRIPT = `(function () {
  var player = document.getElementById('player');
  if (!player) return;
  function seek(t) {
    if (!isFinite(t)) return;
    player.currentTime = Math.max(0, t);
    var playing = player.play();
    if (playing && playing.catch) playing.catch(function () {});
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var control = target.closest('[data-seek]');
    if (control) {
      event.preventDefault();
      seek(Number(control.getAttribute('data-seek')));
      return;
    }
    var wave = target.closest('.wave');
    if (!wave) return;
    var svg = wave.querySelector('svg');
    if (!svg) return;
    var box = svg.getBoundingClientRect();
    var x = ((event.clientX - box.left) / box.width) * Number(wave.getAttribute('data-width'));
    var left = Number(wave.getAttribute('data-left'));
    var right = Number(wave.getAttribute('data-right'));
    var duration = Number(wave.getAttribute('data-duration'));
    seek(Math.min(duration, Math.max(0, ((x - left) / (right - left)) * duration)));
  });
})();`;

const SCRIPT_HASH = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

/** The report's policy: nothing from the network; with a player, media from the bundle and this one script. */
export function contentSecurityPolicy(withPlayer: boolean): string {
  const base = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  // 'self' covers a report served from a web server; file: a report opened from the unpacked folder.
  return withPlayer ? `${base}; media-src 'self' file:; script-src ${SCRIPT_HASH}` : base;
}

/** The inline script, for the page's end (only when there is a player). */
export function playerScript(): string {
  return `<script>${SCRIPT}</script>`;
}

/** A relative URL from data/report/ to a bag path, each segment percent-encoded (spaces, #, ?, %, Chinese). */
export function relativeUrl(bagPath: string): string {
  const segments = bagPath.split('/');
  const rest = segments[0] === 'data' ? segments.slice(1) : segments;
  return `../${rest.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** Where a control starts playing: LEAD_SECONDS before `at`, never before the start, in whole milliseconds. */
export function seekTime(at: number): number {
  return Math.round(Math.max(0, at - LEAD_SECONDS) * 1000) / 1000;
}

/** The "▶ 2 s before" control for the moment `at`. */
export function seekButton(at: number, text: DocText): string {
  const t = seekTime(at);
  const title = fill(text.report.seekTitle, { time: formatTimestamp(t), at: formatTimestamp(at) });
  return `<button type="button" class="seek" data-seek="${t}" title="${escapeHtml(title)}">${escapeHtml(text.report.seekBefore)}</button>`;
}

/** The control for a finding that has a place on the timeline, else nothing. */
export function findingSeek(finding: Finding, text: DocText): string {
  const place = placeOf(finding);
  return place ? seekButton(place.at, text) : '';
}

/** Attributes the waveform's wrapper carries so the script can turn a click into a time. */
export function waveAttributes(duration: number): string {
  const g = WAVE_GEOMETRY;
  return `class="wave" data-duration="${duration}" data-width="${g.width}" data-left="${g.left}" data-right="${g.right}"`;
}

/**
 * The "listen" block: the player on the access copy (with the transcript's WebVTT as its captions track),
 * what the copy is and the command that made it, and the transcript rows with their controls. Without an
 * access copy, a plain note why.
 */
export function listenBlock(args: {
  result: InspectResult;
  numbered: readonly NumberedFinding[];
  access: DocumentAccess | undefined;
  reason: string | undefined;
  originalPath: string;
  vttPath: string;
  text: DocText;
  /** Zone for the instants in finding titles. */
  zone: string;
}): string {
  const { result, numbered, access, text } = args;
  const r = text.report;
  const code = (s: string) => `<code class="wrap">${escapeHtml(s)}</code>`;
  const parts = [`<h3>${escapeHtml(r.listenHeading)}</h3>`];
  if (!access) {
    parts.push(
      `<p class="small">${fill(escapeHtml(r.accessNone), {
        reason: escapeHtml(detailText(args.reason ?? '', text.lang)),
        original: code(args.originalPath),
      })}</p>`,
    );
    return parts.join('\n');
  }
  parts.push(
    `<audio id="player" class="player" controls preload="metadata" src="${escapeHtml(relativeUrl(access.path))}">` +
      `<track kind="captions" src="${escapeHtml(relativeUrl(args.vttPath))}" srclang="${escapeHtml(text.htmlLang)}" label="${escapeHtml(r.rowsHeading)}" default>` +
      '</audio>',
    `<p class="small access-note">${fill(escapeHtml(r.accessNote), {
      path: code(access.path),
      original: code(args.originalPath),
      command: code(access.command),
    })}</p>`,
    `<p class="muted small">${escapeHtml(r.waveformSeek)}</p>`,
  );
  const plan = transcriptPlan(result, numbered, (f) =>
    findingTitle(f, text.lang, { place: false, zone: args.zone }),
  );
  if (plan.rows.length === 0) return parts.join('\n');
  const shown = plan.rows.slice(0, MAX_ROWS);
  const rows = shown.map((row) => {
    const span =
      row.end === undefined
        ? formatTimestamp(row.start)
        : `${formatTimestamp(row.start)} – ${formatTimestamp(row.end)}`;
    const kind =
      row.kind === 'flag'
        ? `${escapeHtml(fill(r.rowFlag, { number: row.number }))} <span class="small">${escapeHtml(row.title)}</span>`
        : escapeHtml(row.kind === 'segment' ? r.rowSpeech : r.rowBlock);
    return `<tr class="row-${row.kind}"><td class="time">${escapeHtml(span)}</td><td>${kind}</td><td>${seekButton(row.start, text)}</td></tr>`;
  });
  parts.push(
    `<details class="rows"><summary>${escapeHtml(r.rowsHeading)} (${plan.rows.length})</summary>`,
    `<p class="muted small">${escapeHtml(r.rowsIntro)}</p>`,
    `<table class="transcript-rows"><thead><tr><th>${escapeHtml(r.colTime)}</th><th>${escapeHtml(r.colRow)}</th><th>${escapeHtml(r.colPlay)}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    plan.rows.length > shown.length
      ? `<p class="muted small">${escapeHtml(fill(text.common.moreRows, { count: plan.rows.length - shown.length }))}</p>`
      : '',
    '</details>',
  );
  return parts.filter(Boolean).join('\n');
}
