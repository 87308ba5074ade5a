// The recorder's declaration (录音人声明): who made the recordings, with what, where, that they are unedited and who
// keeps the original carrier, to sign. One per bundle, as Markdown and as a Word document.
import type { Lang } from '../i18n/lang.js';
import { docx, heading, para, title } from './docx-kit.js';
import type { DocumentContext } from './model.js';
import { clean } from './sanitize.js';
import { sealLines } from './seal.js';
import { type DocText, fill } from './text.js';
import { speakersText } from './transcript.js';
import { mdEscape } from './transcript-md.js';

/** The declaration as plain data, already cleaned: the writers only format it. */
export interface DeclarationDoc {
  title: string;
  sealLines: string[];
  intro: string;
  recordingsHeading: string;
  /** One line per recording: number, file name, SHA-256. */
  recordings: string[];
  /** The numbered statements, prefilled from the pack options, blanks where none was given. */
  statements: string[];
  truth: string;
  signature: string;
  date: string;
}

export function buildDeclaration(ctx: DocumentContext, text: DocText): DeclarationDoc {
  const d = text.declaration;
  const or = (value: string | undefined, max: number): string => (value ? clean(value, max) : d.blank);
  const speakers = speakersText(ctx, text);
  return {
    title: d.docTitle,
    sealLines: sealLines(ctx, text),
    intro: d.intro,
    recordingsHeading: d.recordingsHeading,
    recordings: ctx.items.map((item) =>
      fill(d.recording, {
        no: fill(text.common.evidenceNo, { number: item.number }),
        file: clean(item.originalName, 300),
        sha256: item.inspection.file.sha256,
      }),
    ),
    statements: [
      fill(d.made, { name: or(ctx.recordedBy, 200), device: or(ctx.device, 300) }),
      // The time is the declarant's to state: the file's own time is in the transcript, marked as metadata.
      fill(d.where, { place: or(ctx.place, 300), time: d.blank }),
      fill(d.present, { speakers: speakers || d.blank }),
      d.unedited,
      fill(d.carrier, { keeper: d.blank, where: d.blank }),
    ],
    truth: d.truth,
    signature: d.signature,
    date: d.date,
  };
}

export function renderDeclarationMarkdown(doc: DeclarationDoc): string {
  const out: string[] = [`# ${mdEscape(doc.title)}`, ''];
  for (const line of doc.sealLines) out.push(`**${mdEscape(line)}**`, '');
  out.push(mdEscape(doc.intro), '', `## ${mdEscape(doc.recordingsHeading)}`, '');
  for (const line of doc.recordings) out.push(`- ${mdEscape(line)}`);
  out.push('');
  for (const statement of doc.statements) out.push(mdEscape(statement), '');
  out.push(mdEscape(doc.truth), '', '', mdEscape(doc.signature), '', mdEscape(doc.date), '');
  return out.join('\n');
}

export async function renderDeclarationDocx(
  doc: DeclarationDoc,
  options: { lang: Lang; creator: string },
): Promise<Buffer> {
  return docx({
    lang: options.lang,
    title: doc.title,
    creator: options.creator,
    children: [
      title(doc.title),
      ...doc.sealLines.map((line) => para(line, { style: { bold: true, size: 19 } })),
      para(doc.intro, { after: 160 }),
      heading(doc.recordingsHeading),
      ...doc.recordings.map((line) => para(line, { style: { size: 19 } })),
      para('', { after: 120 }),
      ...doc.statements.map((statement) => para(statement, { after: 160 })),
      para(doc.truth, { after: 600 }),
      para(doc.signature, { after: 240 }),
      para(doc.date),
    ],
  });
}
