// The documents of a bundle: HTML report, transcript templates (DOCX/Markdown/WebVTT) and the evidence list (DOCX/CSV).
import { buildDeclaration, renderDeclarationDocx, renderDeclarationMarkdown } from './declaration.js';
import { type ItemPaths, listRows, renderListCsv, renderListDocx } from './evidence-list.js';
import { type BagDocument, type DocumentContext, durationOf, itemFileName } from './model.js';
import { renderReportHtml } from './report-html.js';
import { sealLines } from './seal.js';
import { docText } from './text.js';
import { buildTranscript } from './transcript.js';
import { renderTranscriptDocx } from './transcript-docx.js';
import { renderTranscriptMarkdown } from './transcript-md.js';
import { renderTranscriptVtt } from './transcript-vtt.js';

/**
 * The editable forms for beside the bundle (ctx.seal set): the transcript (DOCX and Markdown) of each
 * recording, the recorder's declaration (DOCX and Markdown) and the evidence list (DOCX and CSV), the same as the sealed blanks plus the seal lines.
 * Paths are bare file names.
 */
export async function renderForms(ctx: DocumentContext): Promise<BagDocument[]> {
  const wanted =
    /^data\/(transcript\/(transcript(-\d+)?|declaration)\.(docx|md)|list\/evidence-list\.(docx|csv))$/;
  const docs = await renderDocuments(ctx, { forms: true });
  return docs
    .filter((d) => wanted.test(d.path))
    .map((d) => ({ path: d.path.slice(d.path.lastIndexOf('/') + 1), content: d.content }));
}

/**
 * Renders every document for the bag: per recording `data/report/report.html`,
 * `data/transcript/transcript.{docx,md,vtt}` (suffixed `-01`, `-02`… when the bag holds several), one
 * `data/list/evidence-list.{docx,csv}` with a row per recording and one recorder's declaration
 * `data/transcript/declaration.{docx,md}` to sign.
 */
export async function renderDocuments(
  ctx: DocumentContext,
  only: { forms?: boolean } = {},
): Promise<BagDocument[]> {
  const text = docText(ctx.lang);
  const several = ctx.items.length > 1;
  const out: BagDocument[] = [];
  const paths = new Map<number, ItemPaths>();
  for (const item of ctx.items) {
    const result = item.inspection;
    const creator = `${result.tool.name} ${result.tool.version}`;
    const name = (stem: string, ext: string): string => itemFileName(stem, ext, item.number, several);
    const report = `data/report/${name('report', 'html')}`;
    const transcriptBase = `data/transcript/${name('transcript', 'docx')}`;
    paths.set(item.number, { report, transcript: transcriptBase });

    if (!only.forms) out.push({ path: report, content: renderReportHtml(ctx, item, text) });
    const transcript = buildTranscript(ctx, item, text);
    out.push(
      { path: transcriptBase, content: await renderTranscriptDocx(transcript, { lang: ctx.lang, creator }) },
      {
        path: `data/transcript/${name('transcript', 'md')}`,
        content: renderTranscriptMarkdown(transcript, text.common.colon),
      },
      {
        path: `data/transcript/${name('transcript', 'vtt')}`,
        content: renderTranscriptVtt(
          transcript,
          text,
          { name: item.originalName, sha256: result.file.sha256 },
          durationOf(result),
        ),
      },
    );
  }
  if (ctx.items.length > 0) {
    const rows = listRows(ctx, text, paths);
    const first = ctx.items[0]!.inspection.tool;
    out.push(
      {
        path: 'data/list/evidence-list.docx',
        content: await renderListDocx(ctx, rows, text, `${first.name} ${first.version}`),
      },
      { path: 'data/list/evidence-list.csv', content: renderListCsv(rows, text, sealLines(ctx, text)) },
    );
    // One declaration for the whole bundle: the recorder signs once for every recording in it.
    const declaration = buildDeclaration(ctx, text);
    out.push(
      {
        path: 'data/transcript/declaration.docx',
        content: await renderDeclarationDocx(declaration, {
          lang: ctx.lang,
          creator: `${first.name} ${first.version}`,
        }),
      },
      { path: 'data/transcript/declaration.md', content: renderDeclarationMarkdown(declaration) },
    );
  }
  return out;
}
