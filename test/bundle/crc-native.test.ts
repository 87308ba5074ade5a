// archiver's CRC-32 (crc32-stream → crc-32) runs on Node's native zlib.crc32 through vendor/crc-32-native,
// wired in with npm overrides: the same values as the JavaScript crc-32, several times faster.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('crc-32 (native shim)', () => {
  const shim = require('crc-32') as {
    version: string;
    buf: (data: Uint8Array, seed?: unknown) => number;
    str: (text: string, seed?: number) => number;
    bstr: (text: string, seed?: number) => number;
  };

  it('is the vendored native shim, also for crc32-stream', () => {
    expect(shim.version).toMatch(/native/);
    const streamRequire = createRequire(require.resolve('crc32-stream'));
    expect((streamRequire('crc-32') as { version: string }).version).toBe(shim.version);
  });

  it('continues a CRC like crc-32 does (signed results, a Buffer seed starts from zero)', () => {
    const data = randomBytes(100_003);
    let running = shim.buf(data.subarray(0, 4096), Buffer.alloc(4));
    running = shim.buf(data.subarray(4096), running);
    expect(running >>> 0).toBe(crc32(data));
    expect(running).toBe(crc32(data) | 0);
    // Published check value of CRC-32 (IEEE): "123456789" → 0xCBF43926.
    expect(shim.str('123456789') >>> 0).toBe(0xcbf43926);
    expect(shim.bstr('123456789') >>> 0).toBe(0xcbf43926);
  });
});
