// Fuzzing with a fixed seed: every fixture original mutated (bit flips, overwritten runs, truncations,
// duplicated, shuffled and inserted chunks); parsers never throw or hang, the full pipeline always gives
// contract JSON, and lengths declared by the file never drive an allocation. FUZZ_CASES=5000 for more.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BufferByteSource } from '../../src/formats/byte-source.js';
import { crc32Ogg } from '../../src/formats/crc.js';
import { identify, SNIFF_BYTES } from '../../src/formats/identify.js';
import { PARSERS, parseStructure } from '../../src/formats/index.js';
import type { StructureReport } from '../../src/formats/types.js';
import { inspect } from '../../src/inspect.js';
import { tempDir } from '../bundle/support.js';
import { fixture, samples } from '../helpers.js';
import { contractProblems, ORIGINALS, Prng, within } from './support.js';

/** Parser cases in all (spread over the fixtures); the full pipeline runs on a tenth of that, at least 30. */
const CASES = Math.max(ORIGINALS.length, Number(process.env['FUZZ_CASES'] ?? 300));
const PIPELINE_CASES = Math.max(30, Math.round(CASES / 10));
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x0a0d10);
/** A parse that has not ended after this long hangs (parses of these files take milliseconds). */
const PARSE_LIMIT_MS = 10_000;
const INSPECT_LIMIT_MS = 60_000;
const MEMORY_LIMIT = 100 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Mutations

type Mutation = (bytes: Buffer, prng: Prng) => { bytes: Buffer; label: string };

/** Where a mutation lands: anywhere, or in the head/tail where the headers and indexes live. */
function position(bytes: Buffer, prng: Prng): number {
  const zone = prng.int(3);
  if (bytes.length === 0) return 0;
  if (zone === 0) return prng.int(Math.min(bytes.length, 1024));
  if (zone === 1) return Math.max(0, bytes.length - 1 - prng.int(Math.min(bytes.length, 1024)));
  return prng.int(bytes.length);
}

const MUTATIONS: Record<string, Mutation> = {
  bitflips(bytes, prng) {
    const out = Buffer.from(bytes);
    const n = 1 + prng.int(32);
    for (let i = 0; i < n && out.length > 0; i++) {
      const at = position(out, prng);
      out[at]! ^= 1 << prng.int(8);
    }
    return { bytes: out, label: `${n} bit flips` };
  },
  overwrite(bytes, prng) {
    const out = Buffer.from(bytes);
    const at = position(out, prng);
    const length = 1 + prng.int(512);
    const fill = prng.int(3);
    for (let i = at; i < Math.min(out.length, at + length); i++)
      out[i] = fill === 0 ? 0 : fill === 1 ? 0xff : prng.int(256);
    return {
      bytes: out,
      label: `${length} bytes overwritten at ${at} (${['zeros', '0xff', 'random'][fill]})`,
    };
  },
  truncate(bytes, prng) {
    const at = position(bytes, prng);
    return { bytes: bytes.subarray(0, at), label: `cut at ${at}` };
  },
  duplicate(bytes, prng) {
    const from = position(bytes, prng);
    const length = 1 + prng.int(4096);
    const to = position(bytes, prng);
    const chunk = bytes.subarray(from, from + length);
    return {
      bytes: Buffer.concat([bytes.subarray(0, to), chunk, bytes.subarray(to)]),
      label: `${chunk.length} bytes from ${from} duplicated at ${to}`,
    };
  },
  shuffle(bytes, prng) {
    const cuts = [
      0,
      ...Array.from({ length: 3 + prng.int(12) }, () => prng.int(bytes.length)),
      bytes.length,
    ].sort((a, b) => a - b);
    const chunks = cuts.slice(1).map((end, i) => bytes.subarray(cuts[i]!, end));
    // Swap a few neighbours rather than a full permutation: files stay partly walkable, which reaches
    // deeper into the parsers than pure noise.
    for (let k = 0; k < 1 + prng.int(3); k++) {
      const i = prng.int(Math.max(1, chunks.length - 1));
      [chunks[i], chunks[i + 1]] = [chunks[i + 1] ?? Buffer.alloc(0), chunks[i] ?? Buffer.alloc(0)];
    }
    return { bytes: Buffer.concat(chunks), label: `${chunks.length} chunks shuffled` };
  },
  insert(bytes, prng) {
    const at = position(bytes, prng);
    const garbage = prng.bytes(1 + prng.int(2048));
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]),
      label: `${garbage.length} random bytes inserted at ${at}`,
    };
  },
};
const KINDS = Object.keys(MUTATIONS);

interface FuzzCase {
  seed: number;
  original: string;
  bytes: Buffer;
  label: string;
}

/** Case `index`: its fixture, and one to three mutations drawn from its own seed (replayable alone). */
function makeCase(index: number): FuzzCase {
  const seed = (SEED + index * 0x9e3779b1) >>> 0;
  const prng = new Prng(seed);
  const original = ORIGINALS[index % ORIGINALS.length]!;
  let bytes = ORIGINAL_BYTES.get(original)!;
  const labels: string[] = [];
  const count = 1 + prng.int(3);
  for (let i = 0; i < count; i++) {
    const kind = KINDS[prng.int(KINDS.length)]!;
    const step = MUTATIONS[kind]!(bytes, prng);
    bytes = step.bytes;
    labels.push(step.label);
  }
  return {
    seed,
    original,
    bytes,
    label: `#${index} seed ${seed} ${basename(original)}: ${labels.join(', ')}`,
  };
}

const ORIGINAL_BYTES = new Map<string, Buffer>();
for (const original of ORIGINALS) ORIGINAL_BYTES.set(original, readFileSync(original));

// ---------------------------------------------------------------------------------------------------------
// Checks

const finite = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n);

/** What a StructureReport must be, whatever the input: plain, bounded, serialisable data. */
function structureProblems(report: StructureReport): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  need(typeof report.container === 'string', 'container');
  need(typeof report.complete === 'boolean', 'complete');
  need(Array.isArray(report.warnings) && report.warnings.every((w) => typeof w === 'string'), 'warnings');
  for (const d of [...report.declared, ...report.counted])
    need(finite(d.seconds), `duration ${d.source}=${d.seconds}`);
  for (const s of [...report.truncation, ...report.appended, ...report.frameIssues]) {
    need(typeof s.kind === 'string' && typeof s.detail === 'string', `sign ${s.kind}`);
    need(s.offset === undefined || finite(s.offset), `sign ${s.kind} offset ${s.offset}`);
    need(s.at === undefined || finite(s.at), `sign ${s.kind} at ${s.at}`);
    need(s.end === undefined || finite(s.end), `sign ${s.kind} end ${s.end}`);
  }
  need(Array.isArray(report.parameterChanges), 'parameterChanges');
  need(
    Array.isArray(report.writer.software) && report.writer.software.every((w) => typeof w === 'string'),
    'writer.software',
  );
  try {
    const json = JSON.stringify(report);
    // Lists are bounded: a damaged file must not turn into a report larger than itself many times over.
    need(json.length < 4 * 1024 * 1024, `report of ${json.length} characters`);
  } catch (error) {
    problems.push(`not serialisable: ${String(error)}`);
  }
  return problems;
}

/** Runs the container's parser directly (a throw is a failure, not a warning) and through the registry. */
async function parseCase(bytes: Buffer, container: string): Promise<string[]> {
  const parser = PARSERS.find((p) => p.containers.includes(container));
  if (!parser) return [];
  const problems: string[] = [];
  try {
    const report = await within(
      PARSE_LIMIT_MS,
      `${container} parser`,
      parser.parse(new BufferByteSource(bytes)),
    );
    problems.push(...structureProblems(report).map((p) => `${container}: ${p}`));
  } catch (error) {
    problems.push(
      `${container} parser threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  return problems;
}

/** The memory this process has used at most so far, and now (bytes). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** Peak RSS growth while `work` runs: sampled during it, and the OS's own maximum. */
async function rssGrowth(work: () => Promise<unknown>): Promise<number> {
  const startRss = process.memoryUsage.rss();
  const startPeak = peakRss();
  let sampled = startRss;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  sampled = Math.max(sampled, process.memoryUsage.rss());
  return Math.max(sampled - startRss, peakRss() - startPeak);
}

// ---------------------------------------------------------------------------------------------------------
// Headers that declare huge sizes: nothing may be allocated from them.

const M4A = readFileSync(fixture('originals/rec-a.m4a'));
const MP3 = readFileSync(fixture('originals/rec-a.mp3'));
const WAV = readFileSync(fixture('originals/rec-a.wav'));
const FLAC = readFileSync(fixture('originals/rec-a.flac'));
const OPUS = readFileSync(fixture('originals/rec-a.opus'));
const SILK = readFileSync(fixture('originals/rec-a.silk'));

/** A copy of `bytes` with `patch` applied. */
function patched(bytes: Buffer, patch: (b: Buffer) => void): Buffer {
  const out = Buffer.from(bytes);
  patch(out);
  return out;
}

/** Offset of the box `type` (its size field) in an MP4. */
function box(bytes: Buffer, type: string): number {
  const at = bytes.indexOf(type, 0, 'latin1');
  if (at < 4) throw new Error(`no ${type} box`);
  return at - 4;
}

/** Re-seals the Ogg page that starts at `page` after its body was edited. */
function resealOggPage(bytes: Buffer, page: number): void {
  const segments = bytes[page + 26]!;
  let length = 27 + segments;
  for (let i = 0; i < segments; i++) length += bytes[page + 27 + i]!;
  bytes.writeUInt32LE(0, page + 22);
  bytes.writeUInt32LE(crc32Ogg(bytes, page, page + length), page + 22);
}

/** Edits the OpusTags packet (second page) at `field` bytes past "OpusTags", then re-seals the page. */
function opusTags(edit: (b: Buffer, tags: number) => void): Buffer {
  return patched(OPUS, (b) => {
    const tags = b.indexOf('OpusTags', 0, 'latin1');
    const page = b.lastIndexOf('OggS', tags, 'latin1');
    edit(b, tags);
    resealOggPage(b, page);
  });
}

const syncsafe = (n: number): Buffer =>
  Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f]);

/** A FLAC metadata block header. */
const flacBlock = (type: number, length: number, last = false): Buffer =>
  Buffer.from([(last ? 0x80 : 0) | type, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);

const FLAC_STREAMINFO_END = 4 + 4 + 34;

const HUGE: Array<[string, string, () => Buffer]> = [
  ['WAV data chunk of 4 GiB', 'wav', () => patched(WAV, (b) => b.writeUInt32LE(0xffffffff, 40))],
  ['WAV RIFF size of 4 GiB', 'wav', () => patched(WAV, (b) => b.writeUInt32LE(0xffffffff, 4))],
  ['WAV fmt chunk of 4 GiB', 'wav', () => patched(WAV, (b) => b.writeUInt32LE(0xfffffff0, 16))],
  [
    'WAV LIST chunk of 4 GiB before data',
    'wav',
    () =>
      Buffer.concat([
        WAV.subarray(0, 36),
        Buffer.from('LIST', 'latin1'),
        Buffer.from([0xf0, 0xff, 0xff, 0xff]),
        Buffer.from('INFOISFT', 'latin1'),
        Buffer.from([0xff, 0xff, 0xff, 0x7f]),
        WAV.subarray(36),
      ]),
  ],
  ['MP4 moov of 4 GiB', 'm4a', () => patched(M4A, (b) => b.writeUInt32BE(0xffffffff, box(b, 'moov')))],
  [
    'MP4 mdat with a 64-bit size of 2^62',
    'm4a',
    () =>
      patched(M4A, (b) => {
        const at = box(b, 'mdat');
        b.writeUInt32BE(1, at);
        b.writeBigUInt64BE(1n << 62n, at + 8);
      }),
  ],
  [
    'MP4 stsz with 2^31 samples',
    'm4a',
    () => patched(M4A, (b) => b.writeUInt32BE(0x80000000, box(b, 'stsz') + 16)),
  ],
  [
    'MP4 stsz with 2^32-1 samples',
    'm4a',
    () => patched(M4A, (b) => b.writeUInt32BE(0xffffffff, box(b, 'stsz') + 16)),
  ],
  [
    'MP4 stts with 2^32-1 entries',
    'm4a',
    () => patched(M4A, (b) => b.writeUInt32BE(0xffffffff, box(b, 'stts') + 12)),
  ],
  [
    'MP4 stco with 2^31 entries',
    'm4a',
    () => patched(M4A, (b) => b.writeUInt32BE(0x80000000, box(b, 'stco') + 12)),
  ],
  [
    'MP4 stsc with 2^31 entries',
    'm4a',
    () => patched(M4A, (b) => b.writeUInt32BE(0x80000000, box(b, 'stsc') + 12)),
  ],
  ['MP4 ilst of 4 GiB', 'm4a', () => patched(M4A, (b) => b.writeUInt32BE(0xfffffff0, box(b, 'ilst')))],
  ['ID3v2 tag of 256 MiB', 'mp3', () => patched(MP3, (b) => syncsafe(0x0fffffff).copy(b, 6))],
  ['ID3v2 frame of 256 MiB', 'mp3', () => patched(MP3, (b) => syncsafe(0x0fffffff).copy(b, 14))],
  [
    'Xing header with 2^31 frames and 4 GiB',
    'mp3',
    () =>
      patched(MP3, (b) => {
        const at = Math.max(b.indexOf('Info', 0, 'latin1'), b.indexOf('Xing', 0, 'latin1'));
        b.writeUInt32BE(0x0f, at + 4);
        b.writeUInt32BE(0x80000000, at + 8);
        b.writeUInt32BE(0xffffffff, at + 12);
      }),
  ],
  [
    'APE tag footer of 4 GiB with 2^32-1 items',
    'mp3',
    () => {
      const footer = Buffer.alloc(32);
      footer.write('APETAGEX', 0, 'latin1');
      footer.writeUInt32LE(2000, 8);
      footer.writeUInt32LE(0xffffffff, 12);
      footer.writeUInt32LE(0xffffffff, 16);
      return Buffer.concat([MP3, footer]);
    },
  ],
  ['OpusTags vendor of 4 GiB', 'opus', () => opusTags((b, tags) => b.writeUInt32LE(0xffffffff, tags + 8))],
  [
    'OpusTags with 2^31 comments of 4 GiB',
    'opus',
    () =>
      opusTags((b, tags) => {
        const vendor = b.readUInt32LE(tags + 8);
        b.writeUInt32LE(0x80000000, tags + 12 + vendor);
        if (tags + 20 + vendor <= b.length) b.writeUInt32LE(0xffffffff, tags + 16 + vendor);
      }),
  ],
  [
    'FLAC STREAMINFO with 2^36-1 samples',
    'flac',
    () =>
      patched(FLAC, (b) => {
        b[8 + 13] = (b[8 + 13]! & 0xf0) | 0x0f;
        b.writeUInt32BE(0xffffffff, 8 + 14);
      }),
  ],
  [
    'FLAC VORBIS_COMMENT with a 4 GiB vendor and 2^31 comments',
    'flac',
    () =>
      patched(FLAC, (b) => {
        b.writeUInt32LE(0xffffffff, FLAC_STREAMINFO_END + 4);
      }),
  ],
  [
    'FLAC metadata block of 16 MiB',
    'flac',
    () => patched(FLAC, (b) => flacBlock(4, 0xffffff).copy(b, FLAC_STREAMINFO_END)),
  ],
  [
    'FLAC PICTURE with 4 GiB MIME and data lengths',
    'flac',
    () => {
      const picture = Buffer.alloc(32);
      picture.writeUInt32BE(3, 0);
      picture.writeUInt32BE(0xffffffff, 4);
      picture.writeUInt32BE(0xffffffff, 8);
      return Buffer.concat([
        FLAC.subarray(0, FLAC_STREAMINFO_END),
        flacBlock(6, picture.length),
        picture,
        FLAC.subarray(FLAC_STREAMINFO_END),
      ]);
    },
  ],
  [
    'FLAC SEEKTABLE of 16 MiB',
    'flac',
    () =>
      Buffer.concat([
        FLAC.subarray(0, FLAC_STREAMINFO_END),
        flacBlock(3, 0xffffff),
        FLAC.subarray(FLAC_STREAMINFO_END),
      ]),
  ],
  ['SILK packet of 32 KiB', 'silk', () => patched(SILK, (b) => b.writeInt16LE(0x7fff, 10))],
];

describe('lengths declared by a file never drive an allocation', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('ae-huge-');
  });

  it.each(HUGE)('%s: the parser stays within 100 MB', async (label, ext, make) => {
    const bytes = make();
    const container = identify(bytes.subarray(0, SNIFF_BYTES)).container;
    let problems: string[] = [];
    const growth = await rssGrowth(async () => {
      problems = await parseCase(bytes, container);
    });
    expect(problems, label).toEqual([]);
    expect(growth, `${label}: ${Math.round(growth / 1e6)} MB`).toBeLessThan(MEMORY_LIMIT);
    expect(ext).toBeTruthy();
  });

  it.each(HUGE)(
    '%s: the full pipeline stays within 100 MB and gives contract JSON',
    async (label, ext, make) => {
      const path = join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.${ext}`);
      writeFileSync(path, make());
      let result: unknown;
      const growth = await rssGrowth(async () => {
        result = await within(INSPECT_LIMIT_MS, label, inspect(path));
      });
      expect(contractProblems(result)).toEqual([]);
      expect(growth, `${label}: ${Math.round(growth / 1e6)} MB`).toBeLessThan(MEMORY_LIMIT);
    },
  );

  // Last: it raises this process's peak, which the maxRSS half of the measurement compares against.
  it('the measurement sees an allocation of 150 MB (so the bound above is not vacuous)', async () => {
    const growth = await rssGrowth(async () => {
      const big = Buffer.alloc(150 * 1024 * 1024, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(big[big.length - 1]).toBe(1);
    });
    expect(growth).toBeGreaterThan(MEMORY_LIMIT);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Mutated fixtures

describe(`fuzzed fixtures (${CASES} parser cases, ${PIPELINE_CASES} through the full pipeline, seed ${SEED})`, () => {
  const perFixture = Math.ceil(CASES / ORIGINALS.length);
  it.each(ORIGINALS.map((o, i) => [basename(o), i] as const))(
    '%s: structure parsers never throw or hang and return plain data',
    { timeout: Math.max(60_000, perFixture * 2_000) },
    async (_name, fixtureIndex) => {
      const failures: string[] = [];
      let ran = 0;
      for (let index = fixtureIndex; index < CASES; index += ORIGINALS.length) {
        const c = makeCase(index);
        const head = c.bytes.subarray(0, SNIFF_BYTES);
        const identified = identify(head).container;
        const declaredAs = identify(ORIGINAL_BYTES.get(c.original)!.subarray(0, SNIFF_BYTES)).container;
        // Both what the bytes now look like and what the file was: the second forces a parser onto garbage.
        const problems = [
          ...(await parseCase(c.bytes, identified)),
          ...(identified === declaredAs ? [] : await parseCase(c.bytes, declaredAs)),
        ];
        // The registry entry point catches a throw; it must still return a report.
        const viaRegistry = await within(
          PARSE_LIMIT_MS,
          c.label,
          parseStructure(identified, new BufferByteSource(c.bytes)),
        );
        if (viaRegistry) problems.push(...structureProblems(viaRegistry));
        if (problems.length > 0) failures.push(`${c.label}\n    ${problems.join('\n    ')}`);
        ran++;
      }
      expect(ran).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    },
  );

  describe('through the full pipeline', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir('ae-fuzz-');
    });
    // Spread over the case numbers, so the pipeline sees every fixture and every mutation kind.
    const step = Math.max(1, Math.floor(CASES / PIPELINE_CASES));
    const indexes = Array.from({ length: PIPELINE_CASES }, (_, i) => (i * step + (i % step)) % CASES);
    it.each(indexes)('case %i: inspect gives contract JSON', async (index) => {
      const c = makeCase(index);
      const path = join(dir, `case-${index}${extname(c.original)}`);
      writeFileSync(path, c.bytes);
      const result = await within(INSPECT_LIMIT_MS, c.label, inspect(path));
      expect(contractProblems(result), c.label).toEqual([]);
      expect(result.file.size, c.label).toBe(c.bytes.length);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Mutated real-world samples: writers and layouts nobody on this project made.

describe('fuzzed shared samples (device, voice, encoder, corrupt)', () => {
  const files = ['device', 'voice', 'encoder', 'corrupt'].flatMap((folder) => samples(folder));
  const perSample = Math.max(3, Math.round(CASES / 100));
  it.skipIf(files.length === 0)(
    `${perSample} parser cases per sample`,
    { timeout: Math.max(60_000, files.length * perSample * 500) },
    async () => {
      const failures: string[] = [];
      for (const [n, file] of files.entries()) {
        const original = readFileSync(file);
        const declaredAs = identify(original.subarray(0, SNIFF_BYTES)).container;
        for (let k = 0; k < perSample; k++) {
          const seed = (SEED ^ (n * 7919 + k * 104729)) >>> 0;
          const prng = new Prng(seed);
          const kind = KINDS[prng.int(KINDS.length)]!;
          const { bytes, label } = MUTATIONS[kind]!(original, prng);
          const identified = identify(bytes.subarray(0, SNIFF_BYTES)).container;
          const problems = [
            ...(await parseCase(bytes, identified)),
            ...(identified === declaredAs ? [] : await parseCase(bytes, declaredAs)),
          ];
          if (problems.length > 0)
            failures.push(`${basename(file)} seed ${seed}: ${label}\n    ${problems.join('\n    ')}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
