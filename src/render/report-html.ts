// The self-contained HTML report of one recording: summary, hashes, waveform, findings, checks, metadata, Art. 93, verification.
import { DETECTORS } from '../detectors/index.js';
import type { Aspect, CheckOutcome, Finding, InspectResult, Severity, ToolWarning } from '../types.js';
import { exemplarSectionHtml } from './exemplar-section.js';
import {
  checkDescription,
  checkNote,
  checkTitle,
  detailLabel,
  findingExplanation,
  findingTitle,
  formatDescription,
  stageName,
} from './finding-text.js';
import { localizeTimes, localTime } from './local-time.js';
import type { DocumentContext, DocumentItem } from './model.js';
import {
  ASPECTS,
  durationOf,
  itemFileName,
  itemTexts,
  MINOR_SHOWN,
  minorMarks,
  type NumberedFinding,
  numberFindings,
  placeOf,
} from './model.js';
import { contentSecurityPolicy, findingSeek, listenBlock, playerScript, waveAttributes } from './player.js';
import { recordedAt, zoneOf } from './recorded-at.js';
import { clean, escapeHtml, MAX_VALUE } from './sanitize.js';
import { formatBytes } from './terminal-summary.js';
import { type DocText, fill, templateFile } from './text.js';
import { formatTimestamp } from './time.js';
import { speakersText } from './transcript.js';
import { SEVERITY_COLOR, SPEECH_COLOR, waveformSvg } from './waveform.js';

/** Most tags a report lists; the rest stay in inspection.json beside it. */
const MAX_TAGS = 200;
const MAX_ROWS = 500;

const META = new Map(DETECTORS.map((d) => [d.meta.id, d.meta]));

/** Escaped, cleaned value from the file (or the user), shortened with a note in the reader's language. */
function valueHtml(text: DocText, value: unknown, max = MAX_VALUE): string {
  return escapeHtml(clean(value, max, (count) => fill(text.common.truncated, { count })));
}

/** A template sentence with escaped parameters (the template itself is escaped too: it is text, not markup). */
function say(template: string, params: Record<string, string | number> = {}): string {
  // `command` spans in a template are shown as code, so a reader can copy them exactly.
  return fill(escapeHtml(template).replace(/`([^`]+)`/g, '<code>$1</code>'), params);
}

/** A table row; a cell that already carries its own <td …> is kept as it is. */
const row = (cells: string[]): string =>
  `<tr>${cells.map((c) => (c.startsWith('<td') ? c : `<td>${c}</td>`)).join('')}</tr>`;

function table(head: string[], rows: string[][], cls = ''): string {
  const thead = `<thead><tr>${head.map((h) => (h.startsWith('<th') ? h : `<th>${h}</th>`)).join('')}</tr></thead>`;
  const body = rows.map((r) => row(r)).join('');
  return `<table${cls ? ` class="${cls}"` : ''}>${thead}<tbody>${body}</tbody></table>`;
}

function factsTable(rows: Array<[string, string]>): string {
  return `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function timeHtml(finding: Finding, text: DocText): string {
  const place = placeOf(finding);
  if (!place) return escapeHtml(text.common.wholeFile);
  return escapeHtml(
    place.end === undefined
      ? formatTimestamp(place.at)
      : `${formatTimestamp(place.at)} – ${formatTimestamp(place.end)}`,
  );
}

/**
 * What was measured, in the detector's English: the examiner's record, the same as in inspection.json. In
 * another language the finding's meaning comes first in that language, and the English follows as a quoted,
 * labelled original.
 */
function detailHtml(finding: Finding, text: DocText, zone: string): string {
  // Instants the detector stated in UTC are shown in the reader's zone, with the offset (still exact).
  const detail = valueHtml(text, localizeTimes(String(finding.detail), zone), 1500);
  const label = detailLabel(text.lang);
  if (!label) return `<span class="small wrap">${detail}</span>`;
  const explanation = findingExplanation(finding, text.lang);
  const original = `<span class="small wrap muted">${escapeHtml(label)}${escapeHtml(text.common.colon)}<q lang="en">${detail}</q></span>`;
  return explanation === undefined
    ? original
    : `<span class="small wrap">${valueHtml(text, localizeTimes(explanation, zone), 1500)}</span><br>${original}`;
}

const badge = (cls: Severity | CheckOutcome, label: string): string =>
  `<span class="badge ${cls}">${escapeHtml(label)}</span>`;

/** "MPEG-4 (M4A/MP4)" plus the brand when the description does not already name it. */
function formatName(format: InspectResult['format'], lang: DocText['lang']): string {
  const name =
    format.description === undefined ? format.container : formatDescription(format.description, lang);
  const brand = format.brand?.trim();
  return brand && !name.includes(brand) ? `${name} (${brand})` : name;
}

function caseBlock(ctx: DocumentContext, item: DocumentItem, text: DocText): string {
  const r = text.report;
  const entries: Array<[string, string]> = [];
  const own = itemTexts(ctx, item);
  if (ctx.caseId) entries.push([r.caseId, valueHtml(text, ctx.caseId)]);
  entries.push([
    r.evidenceTitle,
    `${escapeHtml(fill(text.common.evidenceNo, { number: item.number }))}${own.title ? ` — ${valueHtml(text, own.title)}` : ''}`,
  ]);
  if (ctx.submitter)
    entries.push([
      ctx.partyRole ? fill(text.court.submitterWithRole, { role: clean(ctx.partyRole, 100) }) : r.submitter,
      valueHtml(text, ctx.submitter),
    ]);
  if (ctx.court) entries.push([text.court.courtLabel, valueHtml(text, ctx.court)]);
  if (own.proves) entries.push([r.proves, valueHtml(text, own.proves, 2000)]);
  // What the submitter states about the recording (pack --recorded-by, --place, --device, --speaker).
  const tr = text.transcript;
  if (ctx.recordedBy) entries.push([tr.recordedBy, valueHtml(text, ctx.recordedBy)]);
  if (ctx.place) entries.push([tr.place, valueHtml(text, ctx.place)]);
  if (ctx.device) entries.push([tr.device, valueHtml(text, ctx.device)]);
  if (ctx.speakers?.length) entries.push([tr.present, valueHtml(text, speakersText(ctx, text), 2000)]);
  entries.push([r.packedAt, valueHtml(text, localTime(ctx.packedAt, zoneOf(ctx)))]);
  const tool = item.inspection.tool;
  entries.push([
    r.tool,
    valueHtml(
      text,
      `${tool.name} ${tool.version} · Node ${tool.node}${tool.ffmpeg ? ` · ffmpeg ${tool.ffmpeg}` : ''}`,
    ),
  ]);
  return `<div class="case"><dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl></div>`;
}

function summarySection(result: InspectResult, text: DocText): string {
  const r = text.report;
  const verdict = text.verdict[result.summary.verdict] ?? text.verdict['review-recommended'];
  const counts = result.summary.counts;
  const outcomes = { consistent: 0, inconsistent: 0, 'not-assessable': 0 };
  for (const c of result.checks) if (c.outcome in outcomes) outcomes[c.outcome]++;
  return [
    `<h2>1. ${escapeHtml(r.summaryHeading)}</h2>`,
    `<div class="verdict ${escapeHtml(result.summary.verdict)}"><strong>${escapeHtml(verdict.title)}</strong>${escapeHtml(verdict.text)}</div>`,
    `<p>${say(r.counts, { critical: counts.critical, warning: counts.warning, info: counts.info })} ${say(
      r.checksCount,
      {
        total: result.checks.length,
        consistent: outcomes.consistent,
        inconsistent: outcomes.inconsistent,
        notAssessable: outcomes['not-assessable'],
      },
    )}</p>`,
    `<p class="muted small">${escapeHtml(r.neverAuthentic)}</p>`,
  ].join('\n');
}

function fileSection(item: DocumentItem, text: DocText, zone: string): string {
  const r = text.report;
  const { file, format } = item.inspection;
  const rows: Array<[string, string]> = [
    [escapeHtml(r.originalName), `<span class="wrap">${valueHtml(text, item.originalName, 1000)}</span>`],
    [escapeHtml(r.bagPath), `<span class="mono wrap">${valueHtml(text, item.bagPath, 1000)}</span>`],
    [
      escapeHtml(r.size),
      escapeHtml(`${file.size.toLocaleString('en-US')} ${text.common.bytes} (${formatBytes(file.size)})`),
    ],
    [escapeHtml(r.modified), valueHtml(text, localTime(file.modified, zone))],
  ];
  if (file.created) rows.push([escapeHtml(r.fileCreated), valueHtml(text, localTime(file.created, zone))]);
  rows.push(
    [escapeHtml(r.format), valueHtml(text, formatName(format, text.lang))],
    [escapeHtml(r.extensionMatches), escapeHtml(format.extensionMatches ? text.common.yes : text.common.no)],
    ['SHA-256', `<span class="mono hash">${valueHtml(text, file.sha256)}</span>`],
    ['SM3', `<span class="mono hash">${valueHtml(text, file.sm3)}</span>`],
  );
  return [
    `<h2>3. ${escapeHtml(r.fileHeading)}</h2>`,
    factsTable(rows),
    `<p class="muted small">${escapeHtml(r.hashNote)}</p>`,
  ].join('\n');
}

/** The player and its notes are for the screen: on paper nothing plays, and page 1 keeps room for the signs. */
const screenOnly = (html: string): string => `<div class="listen">${html}</div>`;

function waveformSection(
  ctx: DocumentContext,
  item: DocumentItem,
  numbered: NumberedFinding[],
  minor: ReadonlySet<number>,
  text: DocText,
): string {
  const result = item.inspection;
  const r = text.report;
  const listen = listenBlock({
    result,
    numbered,
    access: item.access,
    reason: item.notices?.find((n) => n.stage === 'access-copy')?.message,
    originalPath: item.bagPath,
    vttPath: `data/transcript/${itemFileName('transcript', 'vtt', item.number, ctx.items.length > 1)}`,
    text,
    zone: zoneOf(ctx),
  });
  const svg = waveformSvg(result.timeline, numbered, {
    aria: r.waveformAria,
    speech: r.speechBand,
    axis: r.timeAxis,
    title: (finding) => findingTitle(finding, text.lang, { zone: zoneOf(ctx) }),
    minor,
  });
  if (!svg)
    return `<h2>2. ${escapeHtml(r.waveformHeading)}</h2>\n<p>${escapeHtml(r.waveformNone)}</p>\n${screenOnly(listen)}`;
  const legend = [
    ...(['critical', 'warning', 'info'] as const).map(
      (s) => `<span style="--swatch:${SEVERITY_COLOR[s]}">${escapeHtml(text.severity[s])}</span>`,
    ),
    `<span style="--swatch:${SPEECH_COLOR}">${escapeHtml(r.speechBand)}</span>`,
  ].join('');
  return [
    `<h2>2. ${escapeHtml(r.waveformHeading)}</h2>`,
    `<figure>${item.access && result.timeline ? `<div ${waveAttributes(result.timeline.duration)}>${svg}</div>` : svg}<figcaption>${escapeHtml(r.waveformCaption)}</figcaption><div class="legend" aria-label="${escapeHtml(r.legend)}">${legend}</div></figure>`,
    screenOnly(listen),
  ].join('\n');
}

/** One finding as the findings table and the appendix show it: its title, what was measured, its id. */
function findingCell(finding: Finding, text: DocText, zone: string): string {
  return `<strong class="wrap">${valueHtml(text, findingTitle(finding, text.lang, { place: placeOf(finding) === undefined, zone }))}</strong><br>${detailHtml(finding, text, zone)}<br><span class="mono small muted">${valueHtml(text, finding.id)} · ${escapeHtml(text.category[finding.category] ?? finding.category)}</span>`;
}

function findingsSection(
  numbered: NumberedFinding[],
  minor: ReadonlySet<number>,
  text: DocText,
  player: boolean,
  zone: string,
): string {
  const r = text.report;
  const parts = [
    `<h2>4. ${escapeHtml(r.findingsHeading)}</h2>`,
    `<p class="muted small lead">${escapeHtml(r.findingsIntro)}</p>`,
  ];
  const groups: Array<{ key: string; title: string; question: string }> = ASPECTS.map((a: Aspect) => ({
    key: a,
    title: text.aspect[a],
    question: text.aspectQuestion[a],
  }));
  const known = new Set<string>(ASPECTS);
  const other = numbered.filter((n) => !known.has(n.finding.aspect));
  if (other.length > 0) groups.push({ key: '', title: '—', question: '' });
  for (const group of groups) {
    const all = group.key ? numbered.filter((n) => n.finding.aspect === group.key) : other;
    // Minor marks beyond the strongest few are counted here and listed in the appendix.
    const members = all.filter((n) => !minor.has(n.number));
    const grouped = all.length - members.length;
    const more =
      grouped > 0 ? `<p class="muted small">${say(text.court.minorMore, { count: grouped })}</p>` : '';
    parts.push(
      `<h3>${escapeHtml(group.title)}${group.question ? ` <span class="muted small">— ${escapeHtml(group.question)}</span>` : ''}</h3>`,
    );
    if (members.length === 0) {
      parts.push(grouped > 0 ? more : `<p>${escapeHtml(r.groupNone)}</p>`);
      continue;
    }
    const shown = members.slice(0, MAX_ROWS);
    parts.push(
      table(
        [
          `<th class="num">${escapeHtml(r.colNo)}</th>`,
          ...[r.colSeverity, r.colTime, r.colFinding].map(escapeHtml),
        ],
        shown.map(({ number, finding }) => [
          `<td class="num">${number}</td>`,
          badge(finding.severity, text.severity[finding.severity] ?? finding.severity),
          `<td class="time">${timeHtml(finding, text)}${player ? `<br>${findingSeek(finding, text)}` : ''}</td>`,
          findingCell(finding, text, zone),
        ]),
      ),
    );
    if (more) parts.push(more);
    if (members.length > shown.length)
      parts.push(
        `<p class="muted small">${say(text.common.moreRows, { count: members.length - shown.length })}</p>`,
      );
  }
  return parts.join('\n');
}

/** The appendix of minor marks, in time order, with the numbers the waveform and the transcript use. */
function minorSection(
  numbered: NumberedFinding[],
  minor: ReadonlySet<number>,
  text: DocText,
  zone: string,
): string {
  if (minor.size === 0) return '';
  const r = text.report;
  const marks = numbered
    .filter((n) => minor.has(n.number))
    .sort((a, b) => (a.finding.at ?? 0) - (b.finding.at ?? 0) || a.number - b.number);
  const shown = marks.slice(0, MAX_ROWS);
  return [
    `<h2 class="appendix">${escapeHtml(text.court.minorHeading)}</h2>`,
    `<p class="muted small lead">${say(text.court.minorIntro, { shown: MINOR_SHOWN })}</p>`,
    table(
      [`<th class="num">${escapeHtml(r.colNo)}</th>`, ...[r.colTime, r.colFinding].map(escapeHtml)],
      shown.map(({ number, finding }) => [
        `<td class="num">${number}</td>`,
        `<td class="time">${timeHtml(finding, text)}</td>`,
        findingCell(finding, text, zone),
      ]),
      'minor',
    ),
    marks.length > shown.length
      ? `<p class="muted small">${say(text.common.moreRows, { count: marks.length - shown.length })}</p>`
      : '',
  ].join('\n');
}

function checksSection(result: InspectResult, numbered: NumberedFinding[], text: DocText): string {
  const r = text.report;
  const rows = result.checks.slice(0, MAX_ROWS).map((check) => {
    const meta = META.get(check.id);
    // English keeps the documents' own check names; other languages use the findings table.
    const name = (text.lang === 'en' ? text.checks[check.id] : undefined) ?? checkTitle(check.id, text.lang);
    const description = checkDescription(check.id, text.lang);
    const aspect = meta ? (text.aspect[meta.aspect] ?? meta.aspect) : '';
    const note = checkNote(check, text.lang);
    // An inconsistent check names the findings it rests on: its note may describe another measurement
    // that was fine (packet gaps) while the container's own index was not.
    const basis =
      check.outcome === 'inconsistent'
        ? numbered.filter((n) => n.finding.check === check.id).map((n) => n.number)
        : [];
    const basisHtml =
      basis.length > 0
        ? `<strong class="small">${escapeHtml(fill(text.court.checkBasis, { numbers: basis.join(text.court.numberJoin) }))}</strong>${note ? '<br>' : ''}`
        : '';
    return [
      `${valueHtml(text, name)}${description ? `<br><span class="small muted">${valueHtml(text, description, 1000)}</span>` : ''}<br><span class="mono small muted">${valueHtml(text, check.id)}</span>`,
      escapeHtml(aspect),
      badge(check.outcome, text.outcome[check.outcome] ?? check.outcome),
      `${basisHtml}<span class="small wrap"${text.lang !== 'en' && note === check.note ? ' lang="en"' : ''}>${note ? valueHtml(text, note, 1000) : ''}</span>`,
    ];
  });
  return [
    `<h2>5. ${escapeHtml(r.checksHeading)}</h2>`,
    `<p class="muted small lead">${escapeHtml(r.checksIntro)}</p>`,
    table([r.colCheck, r.colAspect, r.colOutcome, r.colNote].map(escapeHtml), rows, 'checks'),
  ].join('\n');
}

function metadataSection(result: InspectResult, text: DocText, zone: string): string {
  const r = text.report;
  const m = result.media;
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '')
      rows.push([escapeHtml(label), `<span class="wrap">${valueHtml(text, value)}</span>`]);
  };
  add(r.codec, m.codec ? `${m.codec}${m.codecProfile ? ` (${m.codecProfile})` : ''}` : undefined);
  add(r.sampleRate, m.sampleRate ? `${m.sampleRate} Hz` : undefined);
  add(r.channels, m.channels);
  add(
    r.bitrate,
    m.bitrate
      ? `${Math.round(m.bitrate / 100) / 10} kbit/s${m.bitrateMode ? ` (${m.bitrateMode})` : ''}`
      : undefined,
  );
  add(r.bitsPerSample, m.bitsPerSample);
  for (const [source, seconds] of Object.entries(m.duration)) {
    if (seconds === undefined || !Number.isFinite(seconds)) continue;
    const label =
      source === 'container'
        ? r.durationContainer
        : source === 'stream'
          ? r.durationStream
          : source === 'decoded'
            ? r.durationDecoded
            : fill(r.durationOther, { source: clean(source, 60) });
    add(label, `${formatTimestamp(seconds)} (${seconds} ${text.common.seconds})`);
  }
  add(r.encoder, m.encoder);
  const recorded = recordedAt(result, text, zone);
  if (recorded) add(recorded.label, recorded.time);
  add(r.device, m.device);
  const tags = Object.entries(m.tags ?? {});
  const tagRows = tags
    .slice(0, MAX_TAGS)
    .map(([key, value]) => [
      `<span class="mono wrap">${valueHtml(text, key, 120)}</span>`,
      `<span class="wrap">${valueHtml(text, value)}</span>`,
    ]);
  return [
    `<h2>6. ${escapeHtml(r.metadataHeading)}</h2>`,
    `<h3>${escapeHtml(r.mediaTable)}</h3>`,
    factsTable(rows),
    `<h3>${escapeHtml(r.tagsTable)}</h3>`,
    tags.length === 0
      ? `<p>${escapeHtml(r.noTags)}</p>`
      : table([r.colField, r.colValue].map(escapeHtml), tagRows, 'tags'),
    tags.length > MAX_TAGS
      ? `<p class="muted small">${say(text.common.moreRows, { count: tags.length - MAX_TAGS })}</p>`
      : '',
  ].join('\n');
}

function art93Section(text: DocText): string {
  const r = text.report;
  return [
    `<h2>7. ${escapeHtml(r.art93Heading)}</h2>`,
    `<p class="small lead">${escapeHtml(r.art93Intro)}</p>`,
    table(
      [r.colFactor, r.colToolVerified, r.colSubmitter].map(escapeHtml),
      text.art93.map((f) => [escapeHtml(f.factor), escapeHtml(f.tool), escapeHtml(f.submitter)]),
      'art93',
    ),
  ].join('\n');
}

function verifySection(item: DocumentItem, text: DocText): string {
  const { sha256, sm3 } = item.inspection.file;
  const params = {
    sha256: `<span class="mono hash">${valueHtml(text, sha256)}</span>`,
    sm3: `<span class="mono hash">${valueHtml(text, sm3)}</span>`,
    bagPathWindows: valueHtml(text, item.bagPath.replaceAll('/', '\\'), 1000),
  };
  return [
    `<h2>8. ${escapeHtml(text.report.verifyHeading)}</h2>`,
    `<ol class="steps">${text.verify.map((step) => `<li>${say(step, params)}</li>`).join('')}</ol>`,
  ].join('\n');
}

function warningsSection(result: InspectResult, text: DocText, notices: readonly ToolWarning[] = []): string {
  const warnings = [...result.warnings, ...notices];
  if (warnings.length === 0) return '';
  const r = text.report;
  return [
    `<h2>9. ${escapeHtml(r.warningsHeading)}</h2>`,
    `<p class="muted small lead">${escapeHtml(r.warningsIntro)}</p>`,
    table(
      [r.colStage, r.colMessage].map(escapeHtml),
      warnings.slice(0, MAX_ROWS).map((w) => [
        valueHtml(text, stageName(w.stage, text.lang), 80),
        // A library's own error text: quoted as it is in any language but English.
        text.lang === 'en'
          ? `<span class="small wrap">${valueHtml(text, w.message, 1000)}</span>`
          : `<span class="small wrap"><q lang="en">${valueHtml(text, w.message, 1000)}</q></span>`,
      ]),
    ),
  ].join('\n');
}

/** A CSS string literal of our own text (template strings, never values from the file). */
const cssString = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`;

/**
 * "第 1 页，共 9 页" at the foot of every printed page (CSS page-margin boxes), so that the evidence list's
 * 页码 column can cite the report's pages.
 */
function pageNumberCss(text: DocText): string {
  const content = text.court.pageOf
    .split(/(\{page\}|\{pages\})/)
    .filter(Boolean)
    .map((part) =>
      part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : cssString(part),
    )
    .join(' ');
  return `@page { @bottom-center { content: ${content}; font-size: 9pt; color: #5f6368; } }`;
}

/** The report of one recording as one HTML file with no external references. */
export function renderReportHtml(ctx: DocumentContext, item: DocumentItem, shared: DocText): string {
  // Notes about shortened values point at this recording's own inspect JSON (the complete data).
  const json = item.inspectionPath ?? 'data/report/inspection.json';
  const text: DocText = {
    ...shared,
    common: {
      ...shared.common,
      truncated: fill(shared.common.truncated, { json }),
      moreRows: fill(shared.common.moreRows, { json }),
    },
  };
  const result = item.inspection;
  const numbered = numberFindings(result.findings);
  const minor = minorMarks(numbered);
  const r = text.report;
  const duration = durationOf(result);
  const zone = zoneOf(ctx);
  const heading = `<h1>${escapeHtml(r.docTitle)}</h1>\n<p class="muted"><span class="wrap">${valueHtml(text, item.originalName, 300)}</span>${duration === undefined ? '' : ` · ${formatTimestamp(duration)}`}</p>`;
  const body = [
    heading,
    caseBlock(ctx, item, text),
    // Near the top, before any finding: the one thing a litigant must do, whatever the checks found.
    `<div class="keep-original" role="note"><strong>${escapeHtml(r.keepOriginalHeading)}</strong>${escapeHtml(r.keepOriginal)}</div>`,
    // Page 1 reads at a glance: the verdict and the waveform with its numbered signs come before the facts.
    summarySection(result, text),
    waveformSection(ctx, item, numbered, minor, text),
    fileSection(item, text, zone),
    findingsSection(numbered, minor, text, item.access !== undefined, zone),
    exemplarSectionHtml(result, text.lang),
    checksSection(result, numbered, text),
    metadataSection(result, text, zone),
    art93Section(text),
    verifySection(item, text),
    warningsSection(result, text, item.notices),
    minorSection(numbered, minor, text, zone),
    `<p class="notice">${say(r.footer, {
      tool: valueHtml(text, result.tool.name),
      version: valueHtml(text, result.tool.version),
      date: valueHtml(text, localTime(ctx.packedAt, zone)),
    })}</p>`,
    item.access ? playerScript() : '',
  ]
    .filter(Boolean)
    .join('\n');
  const values: Record<string, string> = {
    lang: escapeHtml(text.htmlLang),
    generator: valueHtml(text, `${result.tool.name} ${result.tool.version}`),
    title: `${escapeHtml(r.docTitle)} — ${valueHtml(text, item.originalName, 120)}`,
    // Our own constant: no double quotes, nothing from the file in it.
    csp: contentSecurityPolicy(item.access !== undefined),
    style: `${templateFile('report.css')}\n${pageNumberCss(text)}`,
    body,
  };
  // One pass over the skeleton: values are never re-scanned for placeholders.
  return templateFile('report.html').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}
