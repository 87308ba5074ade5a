// The command line: parses argv with commander, calls the library API, maps errors to exit codes.
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type BatchEntry, type BatchProblem, expandInputs, type SkippedFile } from './batch/expand.js';
import { inspectMany, isFatal, packMany } from './batch/run.js';
import { caseTable, inspectTable, packTable, type SummaryOptions } from './batch/summary.js';
import { keyedOptions, readCaseFile } from './bundle/case-file.js';
import { caseOutDir, type PackedBundle, type PackOptions, packBundle, parseSpeaker } from './bundle/pack.js';
import { keepOriginalWarning, packNotices, packSummary } from './bundle/terminal.js';
import { AudioEvidenceError, EXIT, isAudioEvidenceError } from './errors.js';
import { addProfileCommand } from './exemplar/cli.js';
import { loadExemplars } from './exemplar/load.js';
import { hashFile, parseAlgos } from './hash/digest.js';
import { detailText } from './i18n/details.js';
import { helpTerm, localizeHelp } from './i18n/help.js';
import { type Lang, resolveLang } from './i18n/lang.js';
import { hasMessage, type MessageKey, t } from './i18n/messages.js';
import { resolveInput } from './input.js';
import { batchProgress, progressWanted } from './progress/index.js';
import { isTimeZone, resolveTimeZone } from './render/local-time.js';
import { terminalSummary } from './render/terminal-summary.js';
import {
  runTimestamp,
  stampFailed,
  stampLines,
  stampOptions,
  type TimestampCliOptions,
  tsaOption,
  type VerifyCliOptions,
  verifyOptions,
} from './timestamp/cli.js';
import { defaultJobs, InOrder, parseJobs } from './tools/pool.js';
import { checksumLine, jsonText, visible } from './tools/visible.js';
import type { InspectResult, Severity } from './types.js';
import { verifyLines } from './verify/terminal.js';
import { verify } from './verify/verify.js';
import { TOOL_VERSION } from './version.js';

/** Commander collector for repeatable options. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Where the CLI writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether each stream is a terminal (progress is drawn only when both are); false when absent. */
  isTTY?: { stdout: boolean; stderr: boolean };
  /** Width of the terminal in cells, when stderr is one. */
  columns?: () => number | undefined;
  /** Folder that paths in the summary are shown relative to. */
  cwd?: () => string;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
  columns: () => (process.stderr.isTTY ? process.stderr.columns : undefined),
  cwd: () => process.cwd(),
};

/** Io that also appends every message and data line (never the progress line) to a log file. */
function withLog(io: Io, path: string | undefined): Io {
  if (!path) return io;
  let broken = false;
  const append = (text: string) => {
    if (broken) return;
    try {
      appendFileSync(path, text);
    } catch {
      // A log that cannot be written must not stop the packing; the terminal still shows everything.
      broken = true;
    }
  };
  return {
    ...io,
    stdout: (text) => {
      io.stdout(text);
      append(text);
    },
    stderr: (text) => {
      io.stderr(text);
      append(text);
    },
  };
}

function jobsOption(value: string | undefined, lang: Lang): number {
  if (value === undefined) return defaultJobs();
  const jobs = parseJobs(value);
  if (jobs !== undefined) return jobs;
  const detail = t(lang, 'batch.jobs-invalid', { value });
  throw new AudioEvidenceError('usage', detail, { params: { detail } });
}

/** The zone for human-facing times: --timezone (checked: a bad name is bad usage), else TZ, else the system's. */
function timeZoneOption(value: string | undefined, lang: Lang, env: NodeJS.ProcessEnv): string {
  if (value !== undefined && !isTimeZone(value)) {
    const detail = t(lang, 'pack.timezone-invalid', { value });
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  return resolveTimeZone(value, env);
}

/** --speaker NAME[:ROLE]…: a value without a name is bad usage, said in the user's language. */
function speakersOption(values: unknown, lang: Lang): Pick<PackOptions, 'speakers'> {
  if (!Array.isArray(values) || values.length === 0) return {};
  const speakers = (values as string[]).map((value) => {
    const speaker = parseSpeaker(value);
    if (speaker) return speaker;
    const detail = t(lang, 'pack.speaker-empty', { value });
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  });
  return { speakers };
}

/** A folder was named, or several recordings: then a summary table is worth printing. */
function isBatch(entries: readonly BatchEntry[]): boolean {
  return entries.length > 1 || entries.some((entry) => entry.kind === 'file' && !entry.explicit);
}

/**
 * Progress for the inputs of one command, drawn on the terminal's own stderr (never into a --log file),
 * and an Io over `logged` whose writes first erase the progress line.
 */
function startProgress(io: Io, logged: Io, lang: Lang, json: boolean, sizes: number[], inspectShare: number) {
  const enabled = progressWanted({
    stdoutIsTTY: io.isTTY?.stdout ?? false,
    stderrIsTTY: io.isTTY?.stderr ?? false,
    json,
    env: io.env,
  });
  const progress = batchProgress({
    enabled,
    write: io.stderr,
    // A terminal that does not say its width (0, as under `script`) is taken to be 80 cells.
    columns: () => io.columns?.() || 80,
    lang,
    sizes,
    inspectShare,
  });
  const around =
    (write: (text: string) => void) =>
    (text: string): void => {
      progress.clear();
      write(text);
      progress.refresh();
    };
  const out: Io = { ...logged, stdout: around(logged.stdout), stderr: around(logged.stderr) };
  return { progress, out };
}

function summaryOptions(
  io: Io,
  lang: Lang,
  skipped: readonly string[],
): Omit<SummaryOptions, 'describeError'> {
  const columns = io.isTTY?.stderr ? io.columns?.() : undefined;
  return { lang, skipped, cwd: io.cwd?.() ?? process.cwd(), ...(columns ? { columns } : {}) };
}

/** Files in folders passed over because their bytes are not audio: the only skips a user may wonder about. */
const notAudio = (skipped: readonly SkippedFile[]): string[] =>
  skipped.filter((file) => file.reason === 'not-audio').map((file) => file.label);

const sizeOf = (entry: BatchEntry): number => (entry.kind === 'file' ? entry.size : 0);

const FAIL_ORDER: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function reachesFailOn(result: InspectResult, failOn: 'warning' | 'critical' | undefined): boolean {
  if (!failOn) return false;
  return result.findings.some((f) => FAIL_ORDER[f.severity] >= FAIL_ORDER[failOn]);
}

/** A folder problem (no recordings, unreadable) in words, its paths shown with control characters escaped. */
function problemMessage(problem: BatchProblem, lang: Lang): string {
  const params = Object.fromEntries(Object.entries(problem.params).map(([k, v]) => [k, visible(v)]));
  return t(lang, problem.code, params);
}

function errorMessage(error: unknown, lang: Lang): string {
  if (isAudioEvidenceError(error) && hasMessage(error.code)) {
    // A {detail} is the English reason the code found; the user reads it in their language.
    const params = Object.fromEntries(
      Object.entries(error.params).map(([k, v]) => [
        k,
        typeof v === 'string' ? visible(k === 'detail' ? detailText(v, lang) : v) : v,
      ]),
    );
    return t(lang, error.code, params);
  }
  return t(lang, 'unexpected-error', {
    detail: visible(error instanceof Error ? error.message : String(error)),
  });
}

function build(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('audio-evidence')
    .description('Turn an original audio recording into a court-ready evidence bundle.')
    .version(TOOL_VERSION)
    .exitOverride()
    // Parse errors are worded by run() in the user's language; commander's own are English only.
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined });

  program
    .command('inspect')
    .description('Hash recordings and look for signs of cuts and edits (files or folders)')
    .argument('<files...>', 'recordings or folders to inspect (folders are searched for recordings)')
    .option('--json', 'print the contract JSON (an array when several files)')
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity').choices([
        'warning',
        'critical',
      ]),
    )
    .option('--jobs <n>', 'recordings processed at once (default: number of cores)')
    .option('--log <file>', 'also append everything printed to this file')
    .option('--signatures <file...>', 'extra writer-signature tables (JSON)')
    .option(
      '--timezone <iana>',
      'time zone for the times shown, e.g. Asia/Shanghai (default: TZ or the system)',
    )
    .option(
      '--quirks <file...>',
      "extra tables of writers' known habits (JSON, like templates/writer-quirks.json)",
    )
    .option('--exemplar <path...>', 'exemplar recordings of the claimed app: files, folders or PROFILE.json')
    .action(
      async (
        files: string[],
        opts: {
          json?: boolean;
          lang?: string;
          failOn?: 'warning' | 'critical';
          jobs?: string;
          log?: string;
          signatures?: string[];
          quirks?: string[];
          exemplar?: string[];
          timezone?: string;
        },
      ) => {
        const lang = resolveLang(opts.lang, io.env);
        const jobs = jobsOption(opts.jobs, lang);
        const exemplar = opts.exemplar ? await loadExemplars(opts.exemplar) : undefined;
        const zone = timeZoneOption(opts.timezone, lang, io.env);
        const logged = withLog(io, opts.log);
        const { entries, skipped } = await expandInputs(files);
        const { progress, out } = startProgress(
          io,
          logged,
          lang,
          opts.json === true,
          entries.map(sizeOf),
          0.75,
        );
        const describeError = (error: unknown) => errorMessage(error, lang);
        const printer = new InOrder<InspectResult | undefined>((result) => {
          if (result && !opts.json) out.stdout(`${terminalSummary(result, lang, zone)}\n\n`);
        });
        let outcomes: Awaited<ReturnType<typeof inspectMany>>;
        try {
          outcomes = await inspectMany(entries, {
            jobs,
            inspect: {
              ...(opts.signatures ? { signatures: opts.signatures } : {}),
              ...(opts.quirks ? { quirks: opts.quirks } : {}),
              ...(exemplar ? { exemplar } : {}),
            },
            hooks: {
              onProgress: (index, p) => progress.update(index, p, entries[index]?.label),
              onDone: (index, outcome) => {
                progress.finish(index);
                if (!outcome.ok) {
                  const { entry } = outcome;
                  out.stderr(
                    `${entry.kind === 'problem' ? problemMessage(entry, lang) : describeError(outcome.error)}\n`,
                  );
                }
                printer.push(index, outcome.ok ? outcome.value : undefined);
              },
            },
          });
        } finally {
          progress.stop();
        }
        const results = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
        if (opts.json) {
          const single =
            files.length === 1 && entries.length === 1 && entries[0]?.kind === 'file' && entries[0].explicit;
          out.stdout(`${jsonText(single ? (results[0] ?? null) : results)}\n`);
        } else if (isBatch(entries)) {
          out.stderr(
            `\n${inspectTable(outcomes, { ...summaryOptions(logged, lang, notAudio(skipped)), describeError })}`,
          );
        }
        const unusable = outcomes.some((outcome) => !outcome.ok);
        const failed = results.some((result) => reachesFailOn(result, opts.failOn));
        setExit(unusable ? EXIT.usage : failed ? EXIT.checkFailed : EXIT.ok);
      },
    );

  program
    .command('hash')
    .description('Print digests in sha256sum format (one streaming read per file)')
    .argument('<files...>', 'files to hash')
    .option('--algo <list>', 'comma-separated: sha256,sm3,sha512,md5', 'sha256')
    .option('--json', 'print JSON')
    .action(async (files: string[], opts: { algo: string; json?: boolean }) => {
      const lang = resolveLang(undefined, io.env);
      let algos: ReturnType<typeof parseAlgos>;
      try {
        algos = parseAlgos(opts.algo);
      } catch (error) {
        throw new AudioEvidenceError('usage', String((error as Error).message), {
          params: { detail: (error as Error).message },
        });
      }
      const out: Array<{ file: string; size: number } & Record<string, string | number>> = [];
      let unusable = false;
      for (const file of files) {
        try {
          const input = await resolveInput(file);
          const { size, digests } = await hashFile(input.path, algos);
          out.push({ file, size, ...digests });
          if (!opts.json) {
            // sha256sum's own line (names with \\ or a line break escaped its way), so `sha256sum -c` reads it.
            for (const algo of algos)
              io.stdout(
                `${checksumLine(digests[algo], `${algos.length > 1 ? `(${algo}) ` : ''}${file}`, io.isTTY?.stdout === true)}\n`,
              );
          }
        } catch (error) {
          io.stderr(`${errorMessage(error, lang)}\n`);
          unusable = true;
        }
      }
      if (opts.json) io.stdout(`${jsonText(out)}\n`);
      setExit(unusable ? EXIT.usage : EXIT.ok);
    });

  program
    .command('pack')
    .description('Build an evidence bundle (BagIt bag, zipped) for each recording, or one for a case')
    .argument('<files...>', 'recordings or folders to pack (folders are searched for recordings)')
    .option('--out <dir>', 'output folder (default: beside each input)')
    .option('--no-zip', 'write the bag folder instead of a zip')
    .option('--combine <name>', 'one case bundle NAME-evidence holding every recording')
    .option('--case <id>', 'case number (External-Identifier)')
    .option(
      '--title <text>',
      'description of the evidence (证据名称); "01=TEXT" or "STEM=TEXT" for one recording (repeatable)',
      collect,
      [],
    )
    .option('--submitter <name>', 'who submits it (Contact-Name)')
    .option(
      '--proves <text>',
      'what the recording is meant to prove (证明对象); "01=TEXT" or "STEM=TEXT" for one recording (repeatable)',
      collect,
      [],
    )
    .option('--court <name>', 'the court the evidence list is addressed to (致：…人民法院)')
    .option('--party-role <role>', "the submitter's role in the case: 原告, 被告, 第三人…")
    .option('--list-verdict', "also write this tool's result into the evidence list's 备注 (off by default)")
    .option('--case-file <file>', 'case facts and per-recording titles/proves from FILE.json or FILE.csv')
    .option('--recorded-by <name>', 'who made the recording (录音人)')
    .option('--place <text>', 'where it was made (录音地点)')
    .option('--device <text>', 'device and app it was made with, e.g. "iPhone 13, 语音备忘录" (录音设备)')
    .option('--speaker <name[:role]>', 'someone heard in it, e.g. "张三:原告" (repeatable)', collect, [])
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .option('--jobs <n>', 'recordings processed at once (default: number of cores)')
    .option('--log <file>', 'also append everything printed to this file')
    .option('--signatures <file...>', 'extra writer-signature tables (JSON)')
    .option('--exemplar <path...>', 'exemplar recordings of the claimed app: files, folders or PROFILE.json')
    .option('--tsa <url>', 'then get an RFC 3161 timestamp from this TSA (repeatable)', collect, [])
    .option(
      '--timezone <iana>',
      'time zone for the times in the documents, e.g. Asia/Shanghai (default: TZ or the system)',
    )
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const lang = resolveLang(opts['lang'] as string | undefined, io.env);
      const jobs = jobsOption(opts['jobs'] as string | undefined, lang);
      const timeZone = timeZoneOption(opts['timezone'] as string | undefined, lang, io.env);
      const exemplar = Array.isArray(opts['exemplar'])
        ? await loadExemplars(opts['exemplar'] as string[])
        : undefined;
      const options: PackOptions = {
        zip: opts['zip'] !== false,
        lang,
        timeZone,
        ...(typeof opts['out'] === 'string' ? { out: opts['out'] } : {}),
        ...(typeof opts['combine'] === 'string' ? { combine: opts['combine'] } : {}),
        ...(typeof opts['case'] === 'string' ? { caseId: opts['case'] } : {}),
        ...(typeof opts['submitter'] === 'string' ? { submitter: opts['submitter'] } : {}),
        ...(typeof opts['court'] === 'string' ? { court: opts['court'] } : {}),
        ...(typeof opts['partyRole'] === 'string' ? { partyRole: opts['partyRole'] } : {}),
        ...(opts['listVerdict'] === true ? { listVerdict: true } : {}),
        ...(typeof opts['recordedBy'] === 'string' ? { recordedBy: opts['recordedBy'] } : {}),
        ...(typeof opts['place'] === 'string' ? { place: opts['place'] } : {}),
        ...(typeof opts['device'] === 'string' ? { device: opts['device'] } : {}),
        ...speakersOption(opts['speaker'], lang),
        ...(Array.isArray(opts['signatures']) ? { signatures: opts['signatures'] as string[] } : {}),
        ...(exemplar ? { exemplar } : {}),
        ...tsaOption(opts['tsa']),
      };
      if (options.combine !== undefined && options.combine.trim() === '') {
        const detail = t(lang, 'batch.combine-name');
        throw new AudioEvidenceError('usage', detail, { params: { detail } });
      }
      const logged = withLog(io, typeof opts['log'] === 'string' ? opts['log'] : undefined);
      const { entries, skipped } = await expandInputs(files);
      Object.assign(options, await caseOptions(opts, options, entries, lang));
      const { progress, out } = startProgress(io, logged, lang, false, entries.map(sizeOf), 0.65);
      const summary = {
        ...summaryOptions(logged, lang, notAudio(skipped)),
        describeError: (e: unknown) => errorMessage(e, lang),
      };
      let packed = 0;
      const show = (bundle: PackedBundle) => {
        packed++;
        out.stdout(packSummary(bundle, lang));
        for (const notice of packNotices(bundle, lang)) out.stderr(`${notice}\n`);
        if (bundle.timestamp) {
          const lines = stampLines(bundle.timestamp, lang);
          for (const line of lines.out) out.stdout(`${line}\n`);
          for (const line of lines.err) out.stderr(`${line}\n`);
        }
      };
      try {
        if (options.combine !== undefined) {
          const code = await packCase(entries, files, { ...options, jobs }, { out, progress, show, summary });
          if (packed > 0) out.stderr(`\n${keepOriginalWarning(lang)}`);
          setExit(code);
          return;
        }
        // One bundle per recording; one that cannot be packed does not stop the others.
        const printer = new InOrder<PackedBundle | undefined>((bundle) => {
          if (bundle) show(bundle);
        });
        const outcomes = await packMany(entries, {
          jobs,
          pack: options,
          hooks: {
            onProgress: (index, p) => progress.update(index, p, entries[index]?.label),
            onDone: (index, outcome) => {
              progress.finish(index);
              if (!outcome.ok) {
                const { entry } = outcome;
                out.stderr(
                  `${entry.kind === 'problem' ? problemMessage(entry, lang) : summary.describeError(outcome.error)}\n`,
                );
              }
              printer.push(index, outcome.ok ? outcome.value : undefined);
            },
          },
        });
        progress.stop();
        if (isBatch(entries)) out.stderr(`\n${packTable(outcomes, summary)}`);
        // Once per run, after everything else, so it is the last thing a litigant reads.
        if (packed > 0) out.stderr(`\n${keepOriginalWarning(lang)}`);
        let exit: number = EXIT.ok;
        for (const outcome of outcomes) {
          // A TSA that failed after a good pack: the bundle stays, the run says so with exit 2.
          if (outcome.ok && stampFailed(outcome.value)) exit = Math.max(exit, EXIT.usage);
          if (outcome.ok) continue;
          const code = isAudioEvidenceError(outcome.error) ? outcome.error.exitCode : EXIT.usage;
          exit = Math.max(exit, code);
        }
        setExit(exit);
      } finally {
        progress.stop();
      }
    });

  program
    .command('timestamp')
    .description('Get RFC 3161 trusted timestamps for bundles and file them beside each (<zip>.tsr)')
    .argument('<bundles...>', 'bundle zips or bag folders')
    .option('--tsa <url>', 'time-stamping authority URL (repeatable; see the README)', collect, [])
    .option('--hash <algo>', 'imprint algorithm: sha256, sm3 or sha512', 'sha256')
    .option('--timeout <seconds>', 'give up on a TSA after this long (default 30)')
    .option('--request-only', 'write <zip>.tsq to be stamped elsewhere, and print how')
    .option('--add-response <file>', 'check and file a response obtained for a saved .tsq')
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .action(async (bundles: string[], opts: TimestampCliOptions) => {
      const lang = resolveLang(opts.lang, io.env);
      setExit(await runTimestamp(bundles, stampOptions(opts, lang), io, lang));
    });

  program
    .command('verify')
    .description('Check a bundle (zip or folder) byte for byte')
    .argument('<path>', 'bundle zip or bag folder')
    .option('--original <file>', 'also compare this file with the bundled original')
    .option('--json', 'print JSON')
    .option('--tsa-ca <file>', 'PEM file of CA certificates trusted for TSAs (repeatable)', collect, [])
    .option(
      '--expect <hex>',
      'SHA-256 or SM3 the zip or the original must have (e.g. from the evidence list)',
    )
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .action(async (path: string, opts: VerifyCliOptions) => {
      const lang = resolveLang(opts.lang, io.env);
      const report = await verify(path, verifyOptions(opts, lang));
      if (opts.json) io.stdout(`${jsonText(report)}\n`);
      else io.stdout(verifyLines(report, lang));
      setExit(report.ok ? EXIT.ok : EXIT.checkFailed);
    });

  addProfileCommand(program, io, setExit);

  return program;
}

/**
 * --case-file, then --title/--proves (plain, or "KEY=TEXT" for one recording) over it: the command line
 * wins, recording by recording. Keys are told from text by the inputs they name.
 */
async function caseOptions(
  opts: Record<string, unknown>,
  given: PackOptions,
  entries: readonly BatchEntry[],
  lang: Lang,
): Promise<PackOptions> {
  const paths = entries.flatMap((entry) => (entry.kind === 'file' ? [entry.path] : []));
  const fromFile = typeof opts['caseFile'] === 'string' ? await readCaseFile(opts['caseFile']) : {};
  const strings = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);
  const { options, twice } = keyedOptions(
    { title: strings(opts['title']), proves: strings(opts['proves']) },
    paths,
  );
  if (twice !== undefined) {
    const detail = t(lang, 'pack.option-twice', { name: twice });
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  const recordings = { ...fromFile.recordings };
  for (const [key, text] of Object.entries(options.recordings ?? {}))
    recordings[key] = { ...recordings[key], ...text };
  const { recordings: _fromFile, ...facts } = fromFile;
  return {
    // The case file fills only what the command line left out.
    ...Object.fromEntries(
      Object.entries(facts).filter(([key]) => given[key as keyof PackOptions] === undefined),
    ),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.proves === undefined ? {} : { proves: options.proves }),
    ...(Object.keys(recordings).length > 0 ? { recordings } : {}),
  };
}

interface CaseIo {
  out: Io;
  progress: ReturnType<typeof batchProgress>;
  show: (bundle: PackedBundle) => void;
  summary: SummaryOptions;
}

/**
 * `pack --combine`: every recording in one bag. A case bundle missing one of the recordings the user
 * named would mislead, so any unusable input stops it before anything is written.
 */
async function packCase(
  entries: readonly BatchEntry[],
  files: readonly string[],
  options: PackOptions,
  { out, progress, show, summary }: CaseIo,
): Promise<number> {
  const { lang } = summary;
  const problems = entries.flatMap((entry) => (entry.kind === 'problem' ? [entry] : []));
  for (const problem of problems) out.stderr(`${problemMessage(problem, lang)}\n`);
  if (problems.length > 0) return EXIT.usage;
  const paths = entries.flatMap((entry) => (entry.kind === 'file' ? [entry.path] : []));
  const index = new Map(paths.map((path, i) => [path, i]));
  const labels = entries.flatMap((entry) => (entry.kind === 'file' ? [entry.label] : []));
  const first = files[0];
  const outDir = options.out ?? (first === undefined ? undefined : await caseOutDir(first));
  try {
    const bundle = await packBundle(paths, {
      ...options,
      ...(outDir === undefined ? {} : { out: outDir }),
      onProgress: (p) => progress.update(index.get(p.file) ?? 0, p, labels[index.get(p.file) ?? 0]),
    });
    progress.stop();
    show(bundle);
    out.stderr(`\n${caseTable(bundle, labels, summary)}`);
    return stampFailed(bundle) ? EXIT.usage : EXIT.ok;
  } catch (error) {
    if (isFatal(error)) throw error;
    out.stderr(`${summary.describeError(error)}\n`);
    return isAudioEvidenceError(error) ? error.exitCode : EXIT.usage;
  }
}

/** The --lang value on the command line, so that even a parse error is worded in it. */
function langInArgv(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--') break;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}

const COMMANDER_MESSAGES: Record<string, MessageKey> = {
  'commander.unknownOption': 'cli.unknown-option',
  'commander.unknownCommand': 'cli.unknown-command',
  'commander.missingArgument': 'cli.missing-argument',
  'commander.optionMissingArgument': 'cli.option-missing-value',
  'commander.missingMandatoryOptionValue': 'cli.option-required',
  'commander.invalidArgument': 'cli.invalid-value',
};

/** Commander's parse error in the user's language, from its code and the names it quotes. */
function usageMessage(error: CommanderError, lang: Lang): string {
  const quoted = [...error.message.matchAll(/'([^']*)'/g)].map((match) => match[1] ?? '');
  const choices = /Allowed choices are (.*)\.$/.exec(error.message)?.[1];
  const key = choices ? 'cli.invalid-choice' : COMMANDER_MESSAGES[error.code];
  if (!key) return t(lang, 'cli.usage', { detail: error.message.replace(/^error: /, '') });
  // Argument and placeholder names in the user's language, as --help shows them; choices quoted as typed.
  return t(lang, key, {
    name: helpTerm(quoted[0] ?? '', lang),
    value: quoted[1] ?? '',
    choices:
      lang === 'en'
        ? (choices ?? '')
        : (choices ?? '')
            .split(', ')
            .map((c) => `"${c}"`)
            .join('、'),
  });
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = build(io, (code) => {
    exitCode = code;
  });
  localizeHelp(program, resolveLang(langInArgv(argv), io.env));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    const lang = resolveLang(langInArgv(argv), io.env);
    if (error instanceof CommanderError) {
      // help and version exit 0; every parse problem is bad usage.
      if (error.exitCode === 0) return EXIT.ok;
      io.stderr(`${usageMessage(error, lang)}\n${t(lang, 'cli.help-hint')}\n`);
      return EXIT.usage;
    }
    io.stderr(`${basename('audio-evidence')}: ${errorMessage(error, lang)}\n`);
    return isAudioEvidenceError(error) ? error.exitCode : EXIT.usage;
  }
}
