// Finds working ffmpeg/ffprobe binaries (env override, then the npm-shipped ones) and their versions.
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AudioEvidenceError } from '../errors.js';
import { runProcess } from './run-process.js';

const require = createRequire(import.meta.url);

export interface Binary {
  path: string;
  version: string;
}

export interface Binaries {
  ffmpeg: Binary;
  ffprobe: Binary;
}

type Name = 'ffmpeg' | 'ffprobe';

const ENV: Record<Name, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const PACKAGE: Record<Name, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

function packagedPath(name: Name): string | undefined {
  try {
    // The installer packages throw a plain string on unsupported platforms.
    const mod = require(PACKAGE[name]) as { path?: string };
    return mod.path;
  } catch {
    return undefined;
  }
}

/** npm may skip the installers' chmod script; make the shipped binary executable when it is not. */
export function ensureExecutable(path: string): void {
  if (process.platform === 'win32') return;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    try {
      const mode = statSync(path).mode;
      chmodSync(path, mode | 0o111);
    } catch {
      // Read-only install: the version check below reports the binary as unusable.
    }
  }
}

async function versionOf(path: string): Promise<string | undefined> {
  try {
    const result = await runProcess(path, ['-hide_banner', '-version'], {
      timeoutMs: 15_000,
      maxStdout: 1 << 20,
    });
    if (result.code !== 0) return undefined;
    const first = result.stdout.toString('utf8').split('\n')[0] ?? '';
    const match = /version\s+(\S+)/.exec(first);
    return match?.[1] ?? first.trim();
  } catch {
    return undefined;
  }
}

async function locate(name: Name): Promise<Binary> {
  const override = process.env[ENV[name]];
  const candidates = override ? [override] : [packagedPath(name)].filter((p): p is string => Boolean(p));
  for (const path of candidates) {
    if (!override) ensureExecutable(path);
    const version = await versionOf(path);
    if (version) return { path, version };
  }
  throw new AudioEvidenceError('ffmpeg-missing', `${name} not found or not working`, {
    params: { name, env: ENV[name], tried: candidates.join(', ') || '(none)' },
  });
}

let cached: Promise<Binaries> | undefined;

/** Locate both binaries once per process. Throws `ffmpeg-missing` (exit 2) when either is unusable. */
export function binaries(): Promise<Binaries> {
  if (!cached) {
    cached = Promise.all([locate('ffmpeg'), locate('ffprobe')]).then(([ffmpeg, ffprobe]) => ({
      ffmpeg,
      ffprobe,
    }));
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

/** ffmpeg reads "a:b" as a protocol and "-x" as an option; "file:" + absolute path is always a plain file. */
export function ffmpegInputUrl(absolutePath: string): string {
  return `file:${absolutePath}`;
}
