// Typed errors: each carries a stable code, the exit code it maps to, and the original cause.

/** Exit codes, set in one place: 0 success, 1 a check failed, 2 bad usage or unusable input. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

export type ErrorCode =
  | 'usage'
  | 'input-missing'
  | 'input-not-file'
  | 'input-unreadable'
  | 'input-changed'
  | 'input-empty'
  | 'ffmpeg-missing'
  | 'output-exists'
  | 'output-failed'
  | 'output-no-space'
  | 'output-unwritable'
  | 'output-not-folder'
  | 'output-in-bag'
  | 'bundle-unsafe'
  | 'bundle-unreadable'
  | 'interrupted'
  | 'check-failed'
  | `exemplar-${'missing' | 'not-audio' | 'damaged' | 'mixed' | 'empty' | 'bad-profile'}`
  | 'timestamp-failed';

/** Base error of the tool. `params` fill the user-facing message (see i18n/messages.ts). */
export class AudioEvidenceError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly params: Record<string, string | number>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { exitCode?: number; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AudioEvidenceError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.params = options.params ?? {};
  }
}

/** The input cannot be used at all (missing, a directory, unreadable): exit 2. */
export class InputError extends AudioEvidenceError {
  constructor(
    code: Extract<ErrorCode, `input-${string}`>,
    path: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(code, `${code}: ${path}${options.detail ? ` (${options.detail})` : ''}`, {
      exitCode: code === 'input-changed' ? EXIT.checkFailed : EXIT.usage,
      params: { path, detail: options.detail ?? '' },
      cause: options.cause,
    });
    this.name = 'InputError';
  }
}

/** An exemplar recording or profile that cannot be used (missing, not audio, damaged, mixed codecs): exit 2. */
export class ExemplarError extends AudioEvidenceError {
  constructor(
    code: Extract<ErrorCode, `exemplar-${string}`>,
    path: string,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(code, `${code}: ${path}${options.detail ? ` (${options.detail})` : ''}`, {
      exitCode: EXIT.usage,
      params: { path, detail: options.detail ?? '' },
      cause: options.cause,
    });
    this.name = 'ExemplarError';
  }
}

/** Why a timestamp could not be obtained or filed; each has a `timestamp.reason.*` message. */
export type TimestampReason =
  | 'bad-url'
  | 'unreachable'
  | 'timeout'
  | 'http-status'
  | 'too-large'
  | 'not-a-response'
  | 'not-granted'
  | 'no-token'
  | 'algorithm-mismatch'
  | 'imprint-mismatch'
  | 'nonce-mismatch'
  | 'signature-invalid'
  | 'no-request'
  | 'not-a-bundle'
  | 'bundle-not-intact';

/**
 * A TSA did not give a usable timestamp (network, HTTP, a response that does not answer our request):
 * exit 2, and nothing is written beside the bundle.
 */
export class TimestampError extends AudioEvidenceError {
  readonly reason: TimestampReason;

  constructor(
    reason: TimestampReason,
    tsa: string,
    detail: string,
    options: { cause?: unknown; params?: Record<string, string | number>; exitCode?: number } = {},
  ) {
    super('timestamp-failed', `${tsa}: ${detail}`, {
      exitCode: options.exitCode ?? EXIT.usage,
      params: { ...options.params, tsa, detail },
      cause: options.cause,
    });
    this.name = 'TimestampError';
    this.reason = reason;
  }
}

/** Thrown by commands that want a non-zero exit without an error message of their own. */
export class ExitError extends AudioEvidenceError {
  constructor(exitCode: number, message = `exit ${exitCode}`) {
    super('check-failed', message, { exitCode });
    this.name = 'ExitError';
  }
}

export function isAudioEvidenceError(error: unknown): error is AudioEvidenceError {
  return error instanceof AudioEvidenceError;
}
