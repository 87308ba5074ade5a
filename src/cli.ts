// The command line: parses argv with commander, calls the library API, maps errors to exit codes.
import { basename } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type PackOptions, pack } from './bundle/pack.js';
import { packNotices, packSummary } from './bundle/terminal.js';
import { AudioEvidenceError, EXIT, isAudioEvidenceError } from './errors.js';
import { hashFile, parseAlgos } from './hash/digest.js';
import { type Lang, resolveLang } from './i18n/lang.js';
import { hasMessage, t } from './i18n/messages.js';
import { resolveInput } from './input.js';
import { inspect } from './inspect.js';
import { terminalSummary } from './render/terminal-summary.js';
import type { InspectResult, Severity } from './types.js';
import { verifyLines } from './verify/terminal.js';
import { verify } from './verify/verify.js';
import { TOOL_VERSION } from './version.js';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

const FAIL_ORDER: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function reachesFailOn(result: InspectResult, failOn: 'warning' | 'critical' | undefined): boolean {
  if (!failOn) return false;
  return result.findings.some((f) => FAIL_ORDER[f.severity] >= FAIL_ORDER[failOn]);
}

function errorMessage(error: unknown, lang: Lang): string {
  if (isAudioEvidenceError(error) && hasMessage(error.code)) return t(lang, error.code, error.params);
  return t(lang, 'unexpected-error', { detail: error instanceof Error ? error.message : String(error) });
}

function build(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('audio-evidence')
    .description('Turn an original audio recording into a court-ready evidence bundle.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command('inspect')
    .description('Hash a recording and look for signs of cuts and edits')
    .argument('<files...>', 'recordings to inspect')
    .option('--json', 'print the contract JSON (an array when several files)')
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity').choices([
        'warning',
        'critical',
      ]),
    )
    .option('--signatures <file...>', 'extra writer-signature tables (JSON)')
    .action(
      async (
        files: string[],
        opts: { json?: boolean; lang?: string; failOn?: 'warning' | 'critical'; signatures?: string[] },
      ) => {
        const lang = resolveLang(opts.lang, io.env);
        const results: InspectResult[] = [];
        let failed = false;
        let unusable = false;
        for (const file of files) {
          try {
            const result = await inspect(file, opts.signatures ? { signatures: opts.signatures } : {});
            results.push(result);
            if (reachesFailOn(result, opts.failOn)) failed = true;
            if (!opts.json) io.stdout(`${terminalSummary(result, lang)}\n\n`);
          } catch (error) {
            if (isAudioEvidenceError(error) && error.code === 'ffmpeg-missing') throw error;
            io.stderr(`${errorMessage(error, lang)}\n`);
            unusable = true;
          }
        }
        if (opts.json)
          io.stdout(`${JSON.stringify(files.length === 1 ? (results[0] ?? null) : results, null, 2)}\n`);
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
            for (const algo of algos)
              io.stdout(`${digests[algo]}  ${algos.length > 1 ? `(${algo}) ` : ''}${file}\n`);
          }
        } catch (error) {
          io.stderr(`${errorMessage(error, lang)}\n`);
          unusable = true;
        }
      }
      if (opts.json) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
      setExit(unusable ? EXIT.usage : EXIT.ok);
    });

  program
    .command('pack')
    .description('Build an evidence bundle (BagIt bag, zipped) for each recording')
    .argument('<files...>', 'recordings (or folders) to pack')
    .option('--out <dir>', 'output folder (default: beside each input)')
    .option('--no-zip', 'write the bag folder instead of a zip')
    .option('--combine <name>', 'one case bundle holding every recording')
    .option('--case <id>', 'case number (External-Identifier)')
    .option('--title <text>', 'description of the evidence')
    .option('--submitter <name>', 'who submits it (Contact-Name)')
    .option('--proves <text>', 'what the recording is meant to prove (证明对象)')
    .option('--lang <lang>', 'zh-CN or en (default: from the locale)')
    .option('--signatures <file...>', 'extra writer-signature tables (JSON)')
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const lang = resolveLang(opts['lang'] as string | undefined, io.env);
      const options: PackOptions = {
        zip: opts['zip'] !== false,
        lang,
        ...(typeof opts['out'] === 'string' ? { out: opts['out'] } : {}),
        ...(typeof opts['combine'] === 'string' ? { combine: opts['combine'] } : {}),
        ...(typeof opts['case'] === 'string' ? { caseId: opts['case'] } : {}),
        ...(typeof opts['title'] === 'string' ? { title: opts['title'] } : {}),
        ...(typeof opts['submitter'] === 'string' ? { submitter: opts['submitter'] } : {}),
        ...(typeof opts['proves'] === 'string' ? { proves: opts['proves'] } : {}),
        ...(Array.isArray(opts['signatures']) ? { signatures: opts['signatures'] as string[] } : {}),
      };
      // One bundle per file; a file that cannot be packed does not stop the others.
      let exit: number = EXIT.ok;
      for (const file of options.combine === undefined ? files.map((f) => [f]) : [files]) {
        try {
          for (const bundle of await pack(file, options)) {
            io.stdout(packSummary(bundle, lang));
            for (const notice of packNotices(bundle, lang)) io.stderr(`${notice}\n`);
          }
        } catch (error) {
          if (isAudioEvidenceError(error) && error.code === 'ffmpeg-missing') throw error;
          io.stderr(`${errorMessage(error, lang)}\n`);
          exit = Math.max(exit, isAudioEvidenceError(error) ? error.exitCode : EXIT.usage);
        }
      }
      setExit(exit);
    });

  program
    .command('verify')
    .description('Check a bundle (zip or folder) byte for byte')
    .argument('<path>', 'bundle zip or bag folder')
    .option('--original <file>', 'also compare this file with the bundled original')
    .option('--json', 'print JSON')
    .action(async (path: string, opts: { original?: string; json?: boolean }) => {
      const report = await verify(path, opts.original ? { original: opts.original } : {});
      if (opts.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout(verifyLines(report, resolveLang(undefined, io.env)));
      setExit(report.ok ? EXIT.ok : EXIT.checkFailed);
    });

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = build(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; every parse problem is bad usage.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const lang = resolveLang(undefined, io.env);
    io.stderr(`${basename('audio-evidence')}: ${errorMessage(error, lang)}\n`);
    return isAudioEvidenceError(error) ? error.exitCode : EXIT.usage;
  }
}
