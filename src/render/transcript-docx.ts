// The transcript template as a Word document (A4 portrait) for the submitter to fill in and sign.
import type { Paragraph, Table } from 'docx';
import type { Lang } from '../i18n/lang.js';
import { type CellSpec, CONTENT_WIDTH, docx, heading, para, run, table, title } from './docx-kit.js';
import type { TranscriptDoc } from './transcript.js';

/** Row shading for inserted "listen here" rows, by severity. */
const FLAG_SHADE = { critical: 'F8D7DA', warning: 'FFF0C2', info: 'DCEBFB' } as const;
const BLANK = '＿＿＿＿＿＿＿＿＿＿＿＿';

export async function renderTranscriptDocx(
  doc: TranscriptDoc,
  options: { lang: Lang; creator: string },
): Promise<Buffer> {
  const width = CONTENT_WIDTH.portrait;
  const children: Array<Paragraph | Table> = [
    title(doc.title),
    ...doc.sealLines.map((line) => para(line, { style: { bold: true, size: 19 } })),
  ];

  children.push(heading(doc.headerHeading));
  children.push(
    table({
      width,
      widths: [0.24, 0.76],
      rows: doc.header.map(([label, value]): CellSpec[] => [
        { text: label, bold: true, shade: 'F4F6F8' },
        { text: value, mono: doc.monoLabels.has(label), ...(doc.monoLabels.has(label) ? { size: 18 } : {}) },
      ]),
    }),
  );

  children.push(heading(doc.lawfulHeading), para(doc.lawfulIntro, { style: { size: 19, color: '444444' } }));
  doc.lawfulPrompts.forEach((prompt, i) => {
    children.push(
      para(`${i + 1}. ${prompt}`, { keepNext: true, after: 40 }),
      para([run(`${doc.answer}${BLANK}${BLANK}`)], { after: 120 }),
    );
  });

  children.push(heading(doc.participantsHeading));
  children.push(
    table({
      width,
      widths: [0.16, 0.26, 0.26, 0.32],
      header: doc.participants.columns,
      rows: doc.participants.rows,
    }),
  );

  children.push(heading(doc.bodyHeading), para(doc.bodyIntro, { style: { size: 19, color: '444444' } }));
  if (doc.bodyNote) children.push(para(doc.bodyNote, { style: { bold: true, size: 19 } }));
  children.push(
    table({
      width,
      widths: [0.19, 0.14, 0.59, 0.08],
      header: doc.bodyColumns,
      size: 19,
      rows: doc.body.map((r): CellSpec[] => {
        const shade = r.flag ? FLAG_SHADE[r.flag] : undefined;
        const base = shade ? { shade } : {};
        return [
          { text: r.time.replace(/^\[|\]$/g, '').replace(' – ', '\n– '), mono: true, size: 17, ...base },
          { text: r.speaker, ...base },
          { text: r.content, ...(r.flag ? { bold: true } : {}), ...base },
          { text: r.key, ...base },
        ];
      }),
    }),
  );

  children.push(heading(doc.keyHeading), para(doc.keyIntro, { style: { size: 19, color: '444444' } }));
  children.push(
    table({
      width,
      widths: [0.2, 0.16, 0.4, 0.24],
      header: doc.keyMoments.columns,
      rows: doc.keyMoments.rows,
    }),
  );

  children.push(para('', { after: 240 }), para(doc.declaration), para(doc.signature, { after: 0 }));
  return docx({ lang: options.lang, title: doc.title, creator: options.creator, children });
}
