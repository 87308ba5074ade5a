// `timestamp`: stamps a bundle at one or more TSAs and files each token beside it (never inside the
// sealed bag), or writes a request to be stamped elsewhere and later files the answer.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, TimestampError } from '../errors.js';
import { hashFile } from '../hash/digest.js';
import { logger } from '../tools/logger.js';
import { shellQuote } from '../tools/shell.js';
import { verify } from '../verify/verify.js';
import { hashLabel, type StampHash } from './algorithms.js';
import { checkResponse } from './check.js';
import { listSidecars, readSmallFile, type StampTarget, stampTarget, writeSidecar } from './files.js';
import { DEFAULT_TIMEOUT_MS, parseTsaUrl, postTimestampQuery } from './http.js';
import { buildRequest, parseRequest, type StampRequest } from './request.js';
import { parseResponse, tsaName } from './token.js';

const debug = logger('timestamp');

export interface TimestampOptions {
  /** TSA URLs to ask, in order; each granted token becomes one .tsr. */
  tsa?: readonly string[];
  /** Imprint algorithm; default SHA-256. */
  hash?: StampHash;
  /** Per TSA; default 30 s. */
  timeoutMs?: number;
  /** Write `<zip>.tsq` instead of asking a TSA. */
  requestOnly?: boolean;
  /** File this response (obtained elsewhere for a saved .tsq) instead of asking a TSA. */
  addResponse?: string;
  /** Verify the bundle before stamping it (default true; pack, which has just written it, skips this). */
  checkBundle?: boolean;
}

/** One token filed beside the bundle. */
export interface StoredTimestamp {
  tsa: string;
  file: string;
  /** The TSA's time (genTime). */
  time: Date;
  /** The TSA's name: its signing certificate's subject. */
  signer: string;
  hash: StampHash;
  imprint: string;
  serialNumber: string;
}

export interface TimestampFailure {
  tsa: string;
  error: TimestampError;
}

export interface TimestampResult {
  bundle: string;
  kind: StampTarget['kind'];
  /** What was hashed: the zip, or the bag's tagmanifest-sha256.txt. */
  data: string;
  stored: StoredTimestamp[];
  failures: TimestampFailure[];
  /** With requestOnly: the .tsq written and a ready-to-run curl command per TSA (or a placeholder URL). */
  request?: { file: string; hash: StampHash; commands: string[]; response: string };
}

async function target(bundle: string): Promise<StampTarget> {
  const found = await stampTarget(bundle);
  if (found) return found;
  const exists = await stat(bundle).catch(() => undefined);
  if (!exists) throw new InputError('input-missing', bundle);
  throw new TimestampError('not-a-bundle', bundle, 'not a zip or a bag folder with tagmanifest-sha256.txt');
}

async function assertIntact(bundle: string): Promise<void> {
  // Only the bundle's agreement with itself matters here; an old .tsr that fails is verify's business.
  const report = await verify(bundle);
  if (!report.proof?.consistent)
    throw new TimestampError(
      'bundle-not-intact',
      bundle,
      'the bundle does not verify; run audio-evidence verify',
      {
        exitCode: 1,
      },
    );
}

function stored(
  tsa: string,
  file: string,
  checked: Awaited<ReturnType<typeof checkResponse>>,
  hash: StampHash,
) {
  const { info } = checked.parsed;
  return {
    tsa,
    file,
    time: info.genTime,
    signer: tsaName(info),
    hash,
    imprint: info.imprint,
    serialNumber: info.serialNumber,
  } satisfies StoredTimestamp;
}

/** The curl command that gets `tsq` stamped at `url` into `tsr`, every word shell-quoted. */
export function curlCommand(tsq: string, tsr: string, url: string): string {
  return `curl --data-binary ${shellQuote(`@${tsq}`)} -H 'Content-Type: application/timestamp-query' ${shellQuote(url)} > ${shellQuote(tsr)}`;
}

/**
 * Timestamps one bundle (zip or bag folder). Per-TSA failures are collected in `failures` (nothing is
 * written for them); a bundle that cannot be used, a bad URL, or an unusable --add-response throws.
 */
export async function timestampBundle(
  bundle: string,
  options: TimestampOptions = {},
): Promise<TimestampResult> {
  const found = await target(bundle);
  const urls = options.tsa ?? [];
  for (const url of urls) parseTsaUrl(url);
  if (options.checkBundle !== false) await assertIntact(bundle);
  const result: TimestampResult = { bundle, kind: found.kind, data: found.data, stored: [], failures: [] };

  if (options.addResponse !== undefined) {
    await addResponse(found, options.addResponse, result);
    return result;
  }

  const hash = options.hash ?? 'sha256';
  const { digests } = await hashFile(found.data, [hash]);
  const imprint = digests[hash];

  if (options.requestOnly) {
    const request = buildRequest(hash, imprint);
    const file = await writeSidecar(found.base, 'tsq', request.der);
    // Not <zip>.tsr: curl would overwrite a token filed before; --add-response checks it and files it.
    const response = file.replace(/\.tsq$/, '.reply.tsr');
    const commands = (urls.length > 0 ? urls : ['https://freetsa.org/tsr']).map((url) =>
      curlCommand(file, response, url),
    );
    result.request = { file, hash, commands, response };
    return result;
  }

  // Every TSA is asked before anything is filed, so the tokens land in the order the TSAs were named.
  const answers: Array<{ tsa: string; der: Buffer; checked: Awaited<ReturnType<typeof checkResponse>> }> = [];
  for (const tsa of urls) {
    const request = buildRequest(hash, imprint);
    try {
      const der = await postTimestampQuery(tsa, request.der, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const checked = await checkResponse(der, request, tsa);
      answers.push({ tsa, der, checked });
    } catch (error) {
      if (!(error instanceof TimestampError)) throw error;
      debug('%s: %s', tsa, error.message);
      result.failures.push({ tsa, error });
    }
  }
  for (const { tsa, der, checked } of answers) {
    const file = await writeSidecar(found.base, 'tsr', der);
    result.stored.push(stored(tsa, file, checked, hash));
  }
  return result;
}

/** Files a response obtained elsewhere: it must answer one of the saved .tsq requests and the bundle now. */
async function addResponse(found: StampTarget, path: string, result: TimestampResult): Promise<void> {
  let der: Buffer;
  try {
    der = await readSmallFile(path);
  } catch (cause) {
    const detail = (cause as Error).message;
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError('input-missing', path, { cause });
    throw new InputError('input-not-file', path, { cause, detail });
  }
  const requests: StampRequest[] = [];
  for (const tsq of await listSidecars(found.base, 'tsq')) {
    try {
      requests.push(parseRequest(await readSmallFile(tsq)));
    } catch (error) {
      debug('ignoring %s: %s', tsq, (error as Error).message);
    }
  }
  const label = basename(path);
  // The request whose nonce the response carries (others are for other attempts); with a single saved
  // request, that one, so that a wrong answer is named precisely.
  let chosen = requests.length === 1 ? requests[0] : undefined;
  try {
    const { nonce } = parseResponse(der).info;
    chosen = requests.find((request) => request.nonce === nonce) ?? chosen;
  } catch {
    // checkResponse says what is wrong with it.
  }
  if (!chosen)
    throw new TimestampError(
      'no-request',
      label,
      `no saved request beside ${basename(found.base)} matches this response`,
    );
  const checked = await checkResponse(der, chosen, label);
  const { digests } = await hashFile(found.data, [chosen.hash]);
  if (digests[chosen.hash] !== chosen.imprint)
    throw new TimestampError(
      'imprint-mismatch',
      label,
      `the bundle's ${hashLabel(chosen.hash)} is no longer the one in the request`,
    );
  const file = await writeSidecar(found.base, 'tsr', der);
  result.stored.push(stored(label, file, checked, chosen.hash));
}
