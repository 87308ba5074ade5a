// The report section "与样本录音比对 / Comparison with exemplar recordings" and the one-line mention of the
// comparison in the evidence list and transcript; empty when no exemplar was given.
import { fieldMeaning, VERSION_FIELDS } from '../exemplar/meanings.js';
import type { Lang } from '../i18n/lang.js';
import type { InspectResult } from '../types.js';
import { clean, escapeHtml } from './sanitize.js';

/** Wording of the section, kept beside it (both languages): the section is additive to the report. */
const WORDS = {
  en: {
    heading: 'Comparison with exemplar recordings',
    intro:
      'Exemplar recordings (SF/T 0120-2021 样本录音) made with the claimed app were profiled the same way as this file: what the writing app controls and what does not depend on the content (container layout, header fields, codec settings, metadata keys present). Differences come first; a difference a re-save would cause calls for an examiner’s look, it does not by itself prove editing.',
    exemplars: 'Exemplar recordings',
    field: 'Field',
    questioned: 'This file',
    exemplar: 'Exemplars',
    result: 'Result',
    meaning: 'What a difference means',
    agrees: 'agrees',
    differs: 'differs',
    version: 'other version',
    absent: '(absent)',
    matches: 'The file agrees with the exemplars on all {total} compared fields.',
    matchesVersion:
      'The file agrees with the exemplars on {agreeing} of {total} compared fields; the rest only name another version of the same app.',
    differsSummary: '{differing} of {total} compared fields differ.',
    remark: ' Compared with {count} exemplar recording(s): {outcome}.',
    remarkMatch: 'the structure agrees',
    remarkDiffer: '{differing} difference(s), see the report',
    transcriptLabel: 'Exemplar comparison',
  },
  'zh-CN': {
    heading: '与样本录音比对',
    intro:
      '按 SF/T 0120-2021，用所称应用录制的样本录音与本文件按同样的方法提取结构特征：由写入应用决定、与录音内容无关的部分（容器布局、头部字段、编码参数、所含元数据键）。差异列在前面；另存会造成的差异需要鉴定人员关注，但其本身并不证明经过剪辑。',
    exemplars: '样本录音',
    field: '字段',
    questioned: '本文件',
    exemplar: '样本录音',
    result: '结果',
    meaning: '差异的含义',
    agrees: '一致',
    differs: '不一致',
    version: '版本不同',
    absent: '（无）',
    matches: '本文件与样本录音在全部 {total} 个比对字段上一致。',
    matchesVersion:
      '本文件与样本录音在 {total} 个比对字段中的 {agreeing} 个上一致；其余字段仅为同一应用的版本不同。',
    differsSummary: '{total} 个比对字段中有 {differing} 个不一致。',
    remark: '已与 {count} 个样本录音比对：{outcome}。',
    remarkMatch: '结构一致',
    remarkDiffer: '{differing} 处不一致，详见报告',
    transcriptLabel: '样本录音比对',
  },
} as const;

interface ComparedField {
  field: string;
  questioned: unknown;
  exemplar: unknown;
  agrees: boolean;
}

const fill = (template: string, params: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));

/** Every compared field with both values, from the exemplar-comparison summary finding. */
function comparedFields(result: InspectResult): ComparedField[] {
  const summary = result.findings.find((f) => f.id === 'exemplar-compared');
  const fields = summary?.evidence?.['fields'];
  if (Array.isArray(fields)) return fields as ComparedField[];
  // Without the finding (detector not run), the differences alone.
  return (result.exemplar?.differences ?? []).map((d) => ({ ...d, agrees: false }));
}

const shown = (value: unknown, absent: string): string =>
  value === null || value === undefined ? absent : typeof value === 'string' ? value : JSON.stringify(value);

/** The report section, or '' when the inspection had no --exemplar. */
export function exemplarSectionHtml(result: InspectResult, lang: Lang): string {
  const info = result.exemplar;
  if (!info) return '';
  const w = WORDS[lang] ?? WORDS.en;
  const fields = comparedFields(result);
  const differing = fields.filter((f) => !f.agrees);
  const ordered = [...differing, ...fields.filter((f) => f.agrees)];
  const cell = (value: unknown) =>
    `<span class="mono small wrap">${escapeHtml(clean(shown(value, w.absent), 300))}</span>`;
  const rows = ordered.map((f) => {
    const version = VERSION_FIELDS.has(f.field);
    const outcome = f.agrees ? w.agrees : version ? w.version : w.differs;
    const cls = f.agrees ? 'consistent' : version ? 'info' : 'warning';
    return `<tr><td><span class="mono small">${escapeHtml(f.field)}</span></td><td>${cell(f.questioned)}</td><td>${cell(f.exemplar)}</td><td><span class="badge ${cls}">${escapeHtml(outcome)}</span></td><td><span class="small">${f.agrees ? '' : escapeHtml(fieldMeaning(f.field, lang))}</span></td></tr>`;
  });
  const files = info.files
    .map(
      (f) =>
        `<li><span class="wrap">${escapeHtml(clean(f.name, 300))}</span> <span class="mono small hash">${escapeHtml(f.sha256)}</span></li>`,
    )
    .join('');
  const serious = differing.filter((f) => !VERSION_FIELDS.has(f.field)).length;
  const summary =
    differing.length === 0
      ? fill(w.matches, { total: fields.length })
      : serious === 0
        ? fill(w.matchesVersion, { agreeing: fields.length - differing.length, total: fields.length })
        : fill(w.differsSummary, { differing: serious, total: fields.length });
  return [
    `<h2 id="exemplar">${escapeHtml(w.heading)}</h2>`,
    `<p class="muted small lead">${escapeHtml(w.intro)}</p>`,
    `<h3>${escapeHtml(w.exemplars)}</h3>`,
    `<ul class="small">${files}</ul>`,
    `<p><strong>${escapeHtml(summary)}</strong></p>`,
    `<table class="exemplar"><thead><tr>${[w.field, w.questioned, w.exemplar, w.result, w.meaning].map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

/** One sentence for the evidence list's remarks and the transcript header: that a comparison was made. */
export function exemplarRemark(result: InspectResult, lang: Lang): string {
  const info = result.exemplar;
  if (!info) return '';
  const w = WORDS[lang] ?? WORDS.en;
  const differing = info.differences.filter((d) => !VERSION_FIELDS.has(d.field)).length;
  return fill(w.remark, {
    count: info.files.length,
    outcome: differing === 0 ? w.remarkMatch : fill(w.remarkDiffer, { differing }),
  });
}

/** The transcript header row that records the comparison, when one was made. */
export function exemplarHeaderRow(result: InspectResult, lang: Lang): Array<[string, string]> {
  const remark = exemplarRemark(result, lang).trim();
  return remark ? [[(WORDS[lang] ?? WORDS.en).transcriptLabel, remark]] : [];
}
