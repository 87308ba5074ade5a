// The document texts (headings, labels, explanations, legal prompts) loaded from templates/, per language.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../i18n/lang.js';
import type { Aspect, CheckOutcome, Severity, Verdict } from '../types.js';

/** Where the template files live, both from src/ (tests) and dist/ (installed package). */
const TEMPLATES = new URL('../../templates/', import.meta.url);

export interface Art93Row {
  factor: string;
  tool: string;
  submitter: string;
}

type ReportKey =
  | 'docTitle'
  | 'caseHeading'
  | 'caseId'
  | 'evidenceTitle'
  | 'submitter'
  | 'proves'
  | 'packedAt'
  | 'tool'
  | 'summaryHeading'
  | 'counts'
  | 'checksCount'
  | 'neverAuthentic'
  | 'fileHeading'
  | 'originalName'
  | 'bagPath'
  | 'size'
  | 'modified'
  | 'fileCreated'
  | 'format'
  | 'extensionMatches'
  | 'hashNote'
  | 'waveformHeading'
  | 'waveformCaption'
  | 'waveformNone'
  | 'waveformAria'
  | 'speechBand'
  | 'timeAxis'
  | 'legend'
  | 'findingsHeading'
  | 'findingsIntro'
  | 'groupNone'
  | 'colNo'
  | 'colSeverity'
  | 'colTime'
  | 'colFinding'
  | 'colDetail'
  | 'checksHeading'
  | 'checksIntro'
  | 'colCheck'
  | 'colAspect'
  | 'colOutcome'
  | 'colNote'
  | 'metadataHeading'
  | 'mediaTable'
  | 'tagsTable'
  | 'colField'
  | 'colValue'
  | 'codec'
  | 'sampleRate'
  | 'channels'
  | 'bitrate'
  | 'bitsPerSample'
  | 'durationContainer'
  | 'durationStream'
  | 'durationDecoded'
  | 'durationOther'
  | 'encoder'
  | 'created'
  | 'device'
  | 'noTags'
  | 'art93Heading'
  | 'art93Intro'
  | 'colFactor'
  | 'colToolVerified'
  | 'colSubmitter'
  | 'verifyHeading'
  | 'warningsHeading'
  | 'warningsIntro'
  | 'colStage'
  | 'colMessage'
  | 'footer'
  | 'listenHeading'
  | 'accessNote'
  | 'accessNone'
  | 'seekBefore'
  | 'seekTitle'
  | 'waveformSeek'
  | 'rowsHeading'
  | 'rowsIntro'
  | 'colPlay'
  | 'colRow'
  | 'rowSpeech'
  | 'rowBlock'
  | 'rowFlag'
  | 'keepOriginalHeading'
  | 'keepOriginal';

type TranscriptKey =
  | 'docTitle'
  | 'headerHeading'
  | 'caseId'
  | 'evidenceNo'
  | 'evidenceTitle'
  | 'fileName'
  | 'duration'
  | 'recordedAt'
  | 'place'
  | 'device'
  | 'preparedBy'
  | 'preparedOn'
  | 'lawfulHeading'
  | 'lawfulIntro'
  | 'participantsHeading'
  | 'colSpeaker'
  | 'colIdentity'
  | 'colRelation'
  | 'colRecognised'
  | 'bodyHeading'
  | 'bodyIntro'
  | 'bodyBlocks'
  | 'bodyEmpty'
  | 'colTime'
  | 'colContent'
  | 'colKey'
  | 'speakerBlank'
  | 'keyBox'
  | 'flagWarning'
  | 'flagInfo'
  | 'flagText'
  | 'flagSpeaker'
  | 'keyHeading'
  | 'keyIntro'
  | 'colKeyTime'
  | 'colKeyType'
  | 'colKeySummary'
  | 'colKeyProves'
  | 'declaration'
  | 'signature'
  | 'vttSegment'
  | 'vttNote'
  | 'answer'
  | 'colField'
  | 'recordedBy'
  | 'present'
  | 'speakerWithRole'
  | 'speakerJoin';

type ListKey =
  | 'docTitle'
  | 'caseId'
  | 'submitter'
  | 'date'
  | 'nameDefault'
  | 'nameWithTitle'
  | 'sourceSubmitter'
  | 'originalValue'
  | 'remarks'
  | 'carrierBlank'
  | 'hashNote'
  | 'signature'
  | 'recordedAt'
  | 'sourceBy'
  | 'sourceWith'
  | 'sourceAt'
  | 'sourceRecorded'
  | 'sourceJoin'
  | 'speakers';

type DeclarationKey =
  | 'docTitle'
  | 'intro'
  | 'recordingsHeading'
  | 'recording'
  | 'made'
  | 'where'
  | 'present'
  | 'unedited'
  | 'carrier'
  | 'truth'
  | 'blank'
  | 'signature'
  | 'date';

/** Shape of templates/documents.<lang>.json; both languages carry every key. */
export interface DocText {
  lang: Lang;
  htmlLang: string;
  common: Record<
    | 'unknown'
    | 'blank'
    | 'none'
    | 'bytes'
    | 'yes'
    | 'no'
    | 'seconds'
    | 'truncated'
    | 'moreRows'
    | 'fromMetadata'
    | 'wholeFile'
    | 'evidenceNo'
    | 'colon',
    string
  >;
  severity: Record<Severity, string>;
  aspect: Record<Aspect, string>;
  aspectQuestion: Record<Aspect, string>;
  category: Record<string, string>;
  outcome: Record<CheckOutcome, string>;
  verdict: Record<Verdict, { title: string; text: string }>;
  checks: Record<string, string>;
  report: Record<ReportKey, string>;
  art93: Art93Row[];
  verify: string[];
  transcript: Record<TranscriptKey, string> & {
    lawfulPrompts: string[];
    speakers: string[];
    keyTypes: string[];
  };
  list: Record<ListKey, string> & { columns: Record<ListColumn, string> };
  /** What the recording time printed in the documents is: start, end, or the file's bare creation time. */
  recordingTime: Record<'start' | 'end' | 'unknown', string>;
  /** Header lines of the editable forms written beside the bundle. */
  forms: Record<'sealZip' | 'sealBag' | 'note', string>;
  /** The recorder's declaration (录音人声明) to sign. */
  declaration: Record<DeclarationKey, string>;
  /** Court-facing additions (issue 14): page numbers, the evidence list's court fields and notes, minor marks. */
  court: Record<CourtKey, string>;
}

type CourtKey =
  | 'pageOf'
  | 'courtLabel'
  | 'listTo'
  | 'courtBlank'
  | 'partyRole'
  | 'submitterWithRole'
  | 'listSignature'
  | 'originalShort'
  | 'fileLine'
  | 'hashShort'
  | 'hashFull'
  | 'remarksDocs'
  | 'remarksVerdict'
  | 'minorHeading'
  | 'minorIntro'
  | 'minorMore'
  | 'checkBasis'
  | 'numberJoin';

export type ListColumn =
  | 'number'
  | 'name'
  | 'source'
  | 'proves'
  | 'pages'
  | 'original'
  | 'remarks'
  | 'fileName'
  | 'carrier'
  | 'duration'
  | 'size'
  | 'sha256'
  | 'sm3';

const cache = new Map<Lang, DocText>();

/** Reads a file from templates/ as UTF-8. */
export function templateFile(name: string): string {
  return readFileSync(fileURLToPath(new URL(name, TEMPLATES)), 'utf8');
}

/** The document texts for `lang` (templates/documents.<lang>.json), read once. */
export function docText(lang: Lang): DocText {
  let text = cache.get(lang);
  if (!text) {
    text = JSON.parse(templateFile(`documents.${lang}.json`)) as DocText;
    cache.set(lang, text);
  }
  return text;
}

/**
 * Replaces {name} placeholders in one pass, so a value that itself contains "{x}" (a file name, a tag)
 * is never expanded again.
 */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z0-9]+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
