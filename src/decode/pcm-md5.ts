// MD5 of the decoded samples as little-endian 16-bit bytes: the digest FLAC's STREAMINFO stores of its audio.
import { createHash, type Hash } from 'node:crypto';
import { endianness } from 'node:os';
import type { PcmConsumer } from './types.js';

export class PcmMd5 implements PcmConsumer {
  private readonly hash: Hash = createHash('md5');
  private result: string | undefined;

  begin(): void {}

  push(samples: Int16Array): void {
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    // Int16Array holds the platform's byte order; FLAC's digest is over little-endian samples.
    this.hash.update(endianness() === 'LE' ? bytes : Buffer.from(bytes).swap16());
  }

  end(): void {
    this.result ??= this.hash.digest('hex');
  }

  /** The digest (after the decode ended). */
  digest(): string {
    this.end();
    return this.result!;
  }
}
