// Runs an external program without a shell, with a timeout, keeping stderr for the report.
import { spawn } from 'node:child_process';
import { logger } from './logger.js';

const debug = logger('process');

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Upper bound on captured stdout; more is an error rather than unbounded memory. */
  maxStdout?: number;
  /** Called per stdout chunk instead of buffering (for streaming consumers). */
  onStdout?: (chunk: Buffer) => void;
  /** Keep at most this many characters of stderr. */
  maxStderr?: number;
  /** Working folder of the program (default: this process's). */
  cwd?: string;
}

/** Spawn `file` with `args` (never through a shell) and collect its output. */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const { timeoutMs = 120_000, maxStdout = 64 * 1024 * 1024, maxStderr = 256 * 1024 } = options;
  debug('%s %o', file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let overflow = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) {
        options.onStdout(chunk);
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        if (!overflow) {
          overflow = true;
          child.kill('SIGKILL');
        }
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < maxStderr) stderr += text.slice(0, maxStderr - stderr.length);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (overflow) {
        reject(new Error(`${file} wrote more than ${maxStdout} bytes`));
        return;
      }
      resolve({ code, signal, stdout: Buffer.concat(chunks), stderr, timedOut });
    });
  });
}
