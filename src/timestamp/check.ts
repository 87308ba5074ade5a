// Checks that a TSA's response answers our request: granted, same hash algorithm, imprint and nonce,
// and a CMS signature over the TSTInfo that verifies with the certificate in the token.
import { TimestampError } from '../errors.js';
import type { StampRequest } from './request.js';
import {
  type ParsedResponse,
  parseResponse,
  type SignatureCheck,
  TokenFormatError,
  verifySignature,
} from './token.js';

export interface CheckedResponse {
  parsed: ParsedResponse;
  signature: SignatureCheck;
}

/** Parses and checks `der` against `request`; throws TimestampError (exit 2) naming what is wrong. */
export async function checkResponse(
  der: Uint8Array,
  request: StampRequest,
  tsa: string,
): Promise<CheckedResponse> {
  let parsed: ParsedResponse;
  try {
    parsed = parseResponse(der);
  } catch (error) {
    if (error instanceof TokenFormatError) {
      const params: Record<string, string> =
        error.kind === 'not-granted'
          ? {
              status: String(error.params['status'] ?? ''),
              text: error.params['text'] ? `: ${error.params['text']}` : '',
            }
          : {};
      throw new TimestampError(error.kind, tsa, error.message, { cause: error, params });
    }
    throw new TimestampError('not-a-response', tsa, (error as Error).message, { cause: error });
  }
  const { info } = parsed;
  if (info.hash !== request.hash)
    throw new TimestampError(
      'algorithm-mismatch',
      tsa,
      `the token's hash algorithm ${info.hash ?? info.hashOid} is not the request's ${request.hash}`,
    );
  if (info.imprint !== request.imprint)
    throw new TimestampError(
      'imprint-mismatch',
      tsa,
      `the token stamps ${info.imprint}, the request ${request.imprint}`,
    );
  if (info.nonce !== request.nonce)
    throw new TimestampError(
      'nonce-mismatch',
      tsa,
      `the token's nonce ${info.nonce ?? '(none)'} is not the request's ${request.nonce}`,
    );
  const signature = await verifySignature(parsed);
  if (!signature.valid)
    throw new TimestampError(
      'signature-invalid',
      tsa,
      `the token's signature does not verify: ${signature.detail}`,
      {
        params: { detail: signature.detail },
      },
    );
  return { parsed, signature };
}
