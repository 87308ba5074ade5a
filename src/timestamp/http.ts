// The one network call: POST a TimeStampReq to the TSA the user named (http or https, a deadline,
// no redirects, no proxy settings read, a bounded answer).
import * as http from 'node:http';
import * as https from 'node:https';
import { TimestampError } from '../errors.js';

/** Largest answer read from a TSA: a token with a certificate chain is a few KiB. */
export const RESPONSE_LIMIT = 1024 * 1024;

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Checks a --tsa value: an absolute http(s) URL. */
export function parseTsaUrl(tsa: string): URL {
  let url: URL;
  try {
    url = new URL(tsa);
  } catch (cause) {
    throw new TimestampError('bad-url', tsa, 'not a URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TimestampError('bad-url', tsa, `only http and https TSAs are supported, not ${url.protocol}`);
  return url;
}

/** POSTs `body` (application/timestamp-query) to `tsa` and returns the body of a 200 answer. */
export function postTimestampQuery(
  tsa: string,
  body: Buffer,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Buffer> {
  const url = parseTsaUrl(tsa);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    const finish = (error: TimestampError | undefined, value?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(value ?? Buffer.alloc(0));
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        // A fresh connection each time: nothing lingers once the answer is in.
        agent: false,
        headers: {
          'Content-Type': 'application/timestamp-query',
          Accept: 'application/timestamp-reply',
          'Content-Length': body.length,
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          response.resume();
          finish(
            new TimestampError('http-status', tsa, `the server answered HTTP ${status}`, {
              params: { status },
            }),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > RESPONSE_LIMIT)
            finish(new TimestampError('too-large', tsa, `the answer is larger than ${RESPONSE_LIMIT} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => finish(undefined, Buffer.concat(chunks)));
        response.on('error', (cause) =>
          finish(
            new TimestampError('unreachable', tsa, cause.message, {
              cause,
              params: { error: cause.message },
            }),
          ),
        );
      },
    );
    const deadline = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 100) / 10;
      finish(new TimestampError('timeout', tsa, `no answer within ${seconds} s`, { params: { seconds } }));
    }, timeoutMs);
    request.on('error', (cause: NodeJS.ErrnoException) => {
      const error = cause.code ? `${cause.code}: ${cause.message}` : cause.message;
      finish(new TimestampError('unreachable', tsa, error, { cause, params: { error } }));
    });
    request.end(body);
  });
}
