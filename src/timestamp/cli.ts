// The `timestamp` command's terminal side (and pack --tsa's report): options checked, results worded.

import type { PackedBundle } from '../bundle/pack.js';
import { isoWithOffset } from '../bundle/time.js';
import type { Io } from '../cli.js';
import { AudioEvidenceError, EXIT, isAudioEvidenceError, TimestampError } from '../errors.js';
import type { Lang } from '../i18n/lang.js';
import { hasMessage, t } from '../i18n/messages.js';
import { shellQuote } from '../tools/shell.js';
import { isExpectValue } from '../verify/timestamps.js';
import type { VerifyOptions } from '../verify/verify.js';
import { hashLabel, parseStampHash } from './algorithms.js';
import { parseTsaUrl } from './http.js';
import { type TimestampOptions, type TimestampResult, timestampBundle } from './stamp.js';

export interface TimestampCliOptions {
  tsa: string[];
  hash: string;
  timeout?: string;
  requestOnly?: boolean;
  addResponse?: string;
  lang?: string;
}

function usage(detail: string): AudioEvidenceError {
  return new AudioEvidenceError('usage', detail, { params: { detail } });
}

export interface VerifyCliOptions {
  original?: string;
  json?: boolean;
  tsaCa: string[];
  expect?: string;
  lang?: string;
}

/** verify's library options from the command line; a malformed --expect is bad usage, worded in `lang`. */
export function verifyOptions(opts: VerifyCliOptions, lang: Lang): VerifyOptions {
  if (opts.expect !== undefined && !isExpectValue(opts.expect))
    throw usage(t(lang, 'verify.expect-invalid', { value: opts.expect }));
  return {
    ...(opts.original !== undefined ? { original: opts.original } : {}),
    ...(opts.tsaCa.length > 0 ? { tsaCa: opts.tsaCa } : {}),
    ...(opts.expect !== undefined ? { expect: opts.expect } : {}),
  };
}

/** Seconds from --timeout, as milliseconds. */
export function timeoutOption(value: string | undefined, lang: Lang): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw usage(t(lang, 'timestamp.bad-timeout', { value }));
  return Math.round(seconds * 1000);
}

/** The library options from the command line; throws usage errors worded in `lang`. */
export function stampOptions(opts: TimestampCliOptions, lang: Lang): TimestampOptions {
  const hash = parseStampHash(opts.hash);
  if (!hash) throw usage(t(lang, 'timestamp.bad-hash', { value: opts.hash }));
  if (opts.tsa.length === 0 && !opts.requestOnly && opts.addResponse === undefined)
    throw usage(t(lang, 'timestamp.no-tsa'));
  const timeoutMs = timeoutOption(opts.timeout, lang);
  return {
    tsa: opts.tsa,
    hash,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(opts.requestOnly ? { requestOnly: true } : {}),
    ...(opts.addResponse === undefined ? {} : { addResponse: opts.addResponse }),
  };
}

/** pack's --tsa values, checked now so that a bad URL stops before a long pack. */
export function tsaOption(value: unknown): { tsa?: string[] } {
  const urls = Array.isArray(value) ? (value as string[]) : [];
  for (const url of urls) parseTsaUrl(url);
  return urls.length > 0 ? { tsa: urls } : {};
}

/** True when pack --tsa could not get every timestamp. */
export const stampFailed = (bundle: PackedBundle): boolean => (bundle.timestamp?.failures.length ?? 0) > 0;

/** A TSA failure in the user's language. */
export function describeStampError(error: TimestampError, lang: Lang): string {
  const key = `timestamp.reason.${error.reason}`;
  const reason = hasMessage(key) ? t(lang, key, error.params) : error.message;
  const named = String(error.params['tsa'] ?? '');
  // These are about the bundle (or the response file), not about a TSA.
  if (error.reason === 'not-a-bundle' || error.reason === 'bundle-not-intact')
    return t(lang, 'timestamp.bundle-failed', { bundle: named, reason });
  return t(lang, 'timestamp.failed', { tsa: named, reason });
}

const utc = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/** Lines for what a timestamp run stored and could not get. */
export function stampLines(result: TimestampResult, lang: Lang): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  for (const stored of result.stored)
    out.push(
      t(lang, 'timestamp.stored', {
        tsa: stored.tsa,
        file: stored.file,
        local: isoWithOffset(stored.time),
        utc: utc(stored.time),
        algo: hashLabel(stored.hash),
        imprint: stored.imprint,
        signer: stored.signer,
      }),
    );
  for (const failure of result.failures) err.push(describeStampError(failure.error, lang));
  if (result.request)
    out.push(
      t(lang, 'timestamp.request-written', {
        file: result.request.file,
        algo: hashLabel(result.request.hash),
        subject: result.data,
        command: result.request.commands.join('\n  '),
        bundle: shellQuote(result.bundle),
        response: shellQuote(result.request.response),
      }),
    );
  return { out, err };
}

/** Runs `timestamp` over every bundle; returns the exit code (2 when any TSA or bundle failed). */
export async function runTimestamp(
  bundles: readonly string[],
  options: TimestampOptions,
  io: Io,
  lang: Lang,
): Promise<number> {
  let exit: number = EXIT.ok;
  for (const bundle of bundles) {
    try {
      const result = await timestampBundle(bundle, options);
      const { out, err } = stampLines(result, lang);
      for (const line of out) io.stdout(`${line}\n`);
      for (const line of err) io.stderr(`${line}\n`);
      if (result.failures.length > 0) exit = Math.max(exit, EXIT.usage);
    } catch (error) {
      if (error instanceof TimestampError) io.stderr(`${describeStampError(error, lang)}\n`);
      else if (isAudioEvidenceError(error) && hasMessage(error.code))
        io.stderr(`${t(lang, error.code, error.params)}\n`);
      else throw error;
      exit = Math.max(exit, isAudioEvidenceError(error) ? error.exitCode : EXIT.usage);
    }
  }
  return exit;
}
