import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChunkConsumer,
  hasherFor,
  hashFile,
  hashFileOnWorker,
  InlineHasher,
  parseAlgos,
  streamFile,
  WORKER_MIN_BYTES,
  WorkerHasher,
} from '../../src/hash/digest.js';
import { fixture } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  it.each(['originals/rec-a.m4a', 'originals/rec-a.wav', 'originals/rec-a.amr'])(
    'matches sha256sum on %s',
    async (name) => {
      const path = fixture(name);
      const expected = execFileSync('sha256sum', [path]).toString().split(' ')[0];
      const { digests } = await hashFile(path, ['sha256', 'sm3', 'sha512', 'md5']);
      expect(digests.sha256).toBe(expected);
      expect(digests.md5).toBe(execFileSync('md5sum', [path]).toString().split(' ')[0]);
      expect(digests.sha512).toBe(execFileSync('sha512sum', [path]).toString().split(' ')[0]);
    },
  );

  // GB/T 32905-2016 appendix A test vectors.
  it('computes SM3 of "abc" as in GB/T 32905', async () => {
    const path = join(dir, 'abc');
    writeFileSync(path, 'abc');
    const { digests } = await hashFile(path, ['sm3']);
    expect(digests.sm3).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('computes SM3 of the 64-byte vector as in GB/T 32905', async () => {
    const path = join(dir, 'abcd16');
    writeFileSync(path, 'abcd'.repeat(16));
    const { digests } = await hashFile(path, ['sm3']);
    expect(digests.sm3).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('reads a large file in bounded blocks, never whole', async () => {
    const path = join(dir, 'big.bin');
    const size = 48 * 1024 * 1024 + 123;
    const block = Buffer.alloc(1024 * 1024, 7);
    const parts: Buffer[] = [];
    for (let i = 0; i < 48; i++) parts.push(block);
    parts.push(Buffer.alloc(123, 9));
    writeFileSync(path, Buffer.concat(parts));
    let largest = 0;
    let total = 0;
    const spy: ChunkConsumer = {
      update(chunk) {
        largest = Math.max(largest, chunk.length);
        total += chunk.length;
      },
    };
    const bytes = await streamFile(path, [spy]);
    expect(bytes).toBe(size);
    expect(total).toBe(size);
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
    const expected = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
    expect((await hashFile(path)).digests.sha256).toBe(expected);
  });

  it('hashes an empty file', async () => {
    const path = join(dir, 'empty');
    writeFileSync(path, '');
    const { size, digests } = await hashFile(path);
    expect(size).toBe(0);
    expect(digests.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('hashing on a worker thread', () => {
  /** Pseudo-random bytes, so a block handed over twice or out of order changes every digest. */
  function noise(size: number, seed: number): Buffer {
    const out = Buffer.alloc(size);
    let x = seed;
    for (let i = 0; i < size; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  }

  it('gives the digests of the in-thread hasher, whatever the block sizes', async () => {
    const path = join(dir, 'worker.bin');
    const bytes = noise(19 * 1024 * 1024 + 77, 3);
    writeFileSync(path, bytes);
    const algos = ['sha256', 'sm3', 'sha512', 'md5'] as const;
    const inline = new InlineHasher(algos);
    await streamFile(path, [inline]);
    const expected = await inline.finish();
    expect(expected.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // Blocks smaller than, equal to and larger than a worker slot (larger ones are split over slots).
    for (const blockSize of [300_001, 1024 * 1024, 5 * 1024 * 1024 + 3]) {
      const worker = new WorkerHasher(algos);
      await streamFile(path, [worker], { blockSize });
      expect(await worker.finish()).toEqual(expected);
    }
  });

  it('reads, flushes and hashes a whole file on a worker, with its CRC-32', async () => {
    const path = join(dir, 'worker-file.bin');
    const bytes = noise(3 * 1024 * 1024 + 5, 11);
    writeFileSync(path, bytes);
    const result = await hashFileOnWorker(path, ['sha256', 'sm3'], {
      crc32: true,
      sync: true,
      blockSize: 65_537,
    });
    expect(result.size).toBe(bytes.length);
    expect(result.digests.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.digests.sm3).toBe(createHash('sm3').update(bytes).digest('hex'));
    expect(result.crc32).toBe(crc32(bytes));
    await expect(hashFileOnWorker(join(dir, 'missing'), ['sha256'])).rejects.toThrow(/ENOENT/);
  });

  it('is used for large files only', () => {
    expect(hasherFor(['sha256'], WORKER_MIN_BYTES - 1)).toBeInstanceOf(InlineHasher);
    const big = hasherFor(['sha256'], WORKER_MIN_BYTES);
    expect(big).toBeInstanceOf(WorkerHasher);
    return big.abort?.();
  });

  it('hashes an empty input', async () => {
    const worker = new WorkerHasher(['sha256']);
    expect((await worker.finish()).sha256).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('parseAlgos', () => {
  it('accepts known names in any case and dedupes', () => {
    expect(parseAlgos('SHA256,sm3,sha-512,sm3')).toEqual(['sha256', 'sm3', 'sha512']);
  });
  it('rejects unknown algorithms', () => {
    expect(() => parseAlgos('sha256,crc32')).toThrow(/crc32/);
  });
});
