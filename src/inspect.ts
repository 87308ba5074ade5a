// The inspect pipeline: resolve → read once (hash) ‖ identify → probe → decode + analyse → detect → summarise.
import type { IAudioMetadata } from 'music-metadata';
import type { AnalysisContext } from './analysis/context.js';
import { loadQuirks } from './analysis/quirks.js';
import { review } from './analysis/review.js';
import { loadSignatures, matchSignatures, type SignatureTable } from './analysis/signatures.js';
import { decodeWithFfmpeg, prepareDecoder } from './decode/ffmpeg-decode.js';
import { PcmMd5 } from './decode/pcm-md5.js';
import { decodeSilk } from './decode/silk-decode.js';
import type { DecodeResult, PcmConsumer } from './decode/types.js';
import { confirmWavPlan, planWavPcm, WavPcmReader, type WavPlan, wavPackets } from './decode/wav-pcm.js';
import { DETECTORS } from './detectors/index.js';
import type { Detector } from './detectors/types.js';
import { writerTraces } from './detectors/writer-signature.js';
import { compareProfile, type WriterProfile } from './exemplar/compare.js';
import { builtinProfiles } from './exemplar/library.js';
import { VERSION_FIELDS } from './exemplar/meanings.js';
import { profileOf } from './exemplar/profile.js';
import { FileByteSource } from './formats/byte-source.js';
import { extensionMatches, type Identified, identify, readHead } from './formats/identify.js';
import { parseStructure } from './formats/index.js';
import type { StructureReport } from './formats/types.js';
import { type ChunkConsumer, type HashAlgo, hasherFor, streamFile } from './hash/digest.js';
import { type InputFile, resolveInput } from './input.js';
import { type PacketTable, type ProbeResult, probeFormat, probePackets } from './probe/ffprobe.js';
import { mergeMedia, readMetadata } from './probe/metadata.js';
import { createSignalAnalysis, type SignalAnalysis } from './signal/index.js';
import type { SignalSummary } from './signal/types.js';
import { type Binaries, binaries } from './tools/ffmpeg.js';
import { logger } from './tools/logger.js';
import type {
  CheckResult,
  FileInfo,
  Finding,
  FormatInfo,
  InspectResult,
  Summary,
  ToolInfo,
  ToolWarning,
} from './types.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

const debug = logger('inspect');

export interface Progress {
  stage: 'hash' | 'decode';
  /** 0..1 when known. */
  fraction: number;
  file: string;
}

export interface InspectOptions {
  /** Extra hash algorithms besides sha256 and sm3. */
  algorithms?: HashAlgo[];
  /** Extra signature tables (JSON) to extend the built-in writer table. */
  signatures?: string[];
  /** Extra writer-quirk tables (JSON with a "quirks" array), after the built-in one. */
  quirks?: string[];
  /** Consumers that see every byte of the single read (e.g. pack's copy writer). */
  readers?: ChunkConsumer[];
  onProgress?: (progress: Progress) => void;
  /** Detectors to run (defaults to all registered). */
  detectors?: readonly Detector[];
  /** Exemplar recordings' profile (see `loadExemplars`): adds the `exemplar` comparison to the result. */
  exemplar?: WriterProfile;
}

/** Everything inspect learned, beyond the contract object: pack uses the digests and input facts. */
export interface InspectRun {
  result: InspectResult;
  input: InputFile;
  digests: Record<HashAlgo, string>;
  bytesRead: number;
}

interface Work {
  input: InputFile;
  options: InspectOptions;
  warnings: ToolWarning[];
  head: Buffer;
  identified: Identified;
  tools?: Binaries;
  signatures: SignatureTable;
  structure?: StructureReport;
  probe?: ProbeResult;
  packets?: PacketTable;
  metadata?: IAudioMetadata;
  decode?: DecodeResult;
  signal?: SignalSummary;
  /** Plain PCM WAVE read straight from the hashing read, pending confirmation by the structure parse. */
  direct?: { plan: WavPlan; reader: WavPcmReader; analysis: SignalAnalysis };
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function structureStage(work: Work): Promise<void> {
  const source = await FileByteSource.open(work.input.path);
  try {
    const report = await parseStructure(work.identified.container, source);
    debug('structure parsed');
    if (report) work.structure = report;
  } catch (error) {
    work.warnings.push({ stage: 'structure', message: message(error) });
  } finally {
    await source.close();
  }
}

async function metadataStage(work: Work): Promise<void> {
  if (work.input.stat.size === 0) return;
  const { metadata, error } = await readMetadata(work.input.path);
  debug('metadata read');
  if (metadata) work.metadata = metadata;
  else if (error) work.warnings.push({ stage: 'metadata', message: `music-metadata: ${error}` });
}

/** Sample rate used for the analysis decode: the stream's own, bounded to what speech analysis needs. */
function analysisRate(probe: ProbeResult | undefined): number {
  const rate = Number(probe?.audio?.sample_rate);
  if (!Number.isFinite(rate) || rate <= 0) return 16_000;
  return Math.min(rate, 48_000);
}

/** Consumers of the decode: the signal analysis and, when asked for, decode progress. */
function decodeConsumers(work: Work, analysis: SignalAnalysis, total: number): PcmConsumer[] {
  const { onProgress } = work.options;
  const fileName = work.input.name;
  return [
    ...analysis.consumers,
    ...(onProgress && total > 0
      ? [
          progressConsumer((seconds) =>
            onProgress({ stage: 'decode', fraction: Math.min(1, seconds / total), file: fileName }),
          ),
        ]
      : []),
  ];
}

/** The ffmpeg decode (and, beside it, ffprobe's packet listing) once the format probe gave the rate. */
async function ffmpegDecode(work: Work, tools: Binaries, listPackets: boolean): Promise<void> {
  const analysis = createSignalAnalysis();
  const total = Number(work.probe?.format?.duration) || 0;
  // FLAC stores the MD5 of its audio; the same digest of the shared decode lets a check compare them.
  const md5 = work.identified.container === 'flac' ? new PcmMd5() : undefined;
  const decoding = decodeWithFfmpeg({
    ffmpegPath: tools.ffmpeg.path,
    absolutePath: work.input.path,
    sampleRate: analysisRate(work.probe),
    consumers: [...decodeConsumers(work, analysis, total), ...(md5 ? [md5] : [])],
    ...(total > 0 ? { expectedSeconds: total } : {}),
  });
  const packets =
    listPackets && work.probe?.audio
      ? probePackets(tools.ffprobe.path, work.input.path)
      : Promise.resolve({ packets: undefined, error: undefined });
  const [decoded, listed] = await Promise.all([decoding, packets]);
  debug('decode ended: %d samples at %d Hz', decoded.samples, decoded.sampleRate);
  if (md5) decoded.pcmMd5 = md5.digest();
  work.decode = decoded;
  if (listed.packets && listed.packets.count > 0) work.packets = listed.packets;
  if (listed.error) work.warnings.push({ stage: 'probe', message: `packet listing: ${listed.error}` });
  await analysis.ready();
  work.signal = analysis.summarize(decoded.sampleRate, decoded.samples);
}

async function probeAndDecodeStage(work: Work): Promise<void> {
  if (work.identified.container === 'silk') {
    const analysis = createSignalAnalysis();
    work.decode = await decodeSilk(work.input.path, analysis.consumers);
    await analysis.ready();
    work.signal = analysis.summarize(work.decode.sampleRate, work.decode.samples);
  } else if (work.input.stat.size > 0 && work.tools) {
    const [probe] = await Promise.all([
      probeFormat(work.tools.ffprobe.path, work.input.path),
      work.direct ? undefined : prepareDecoder(work.tools.ffmpeg.path),
    ]);
    work.probe = probe;
    debug('format probed');
    // A plain PCM WAVE is analysed from the hashing read; its ffmpeg decode runs only if the structure
    // parse does not confirm the layout (see finishDirect).
    if (!work.direct) await ffmpegDecode(work, work.tools, true);
  }
}

/**
 * After the read and the structure parse: a confirmed plain PCM WAVE keeps the samples taken from the
 * read (they are exactly what ffmpeg would decode) and the packets ffprobe would list; anything the
 * parse found unusual is decoded by ffmpeg after all, so odd files are judged as before.
 */
async function finishDirect(work: Work): Promise<void> {
  const direct = work.direct;
  if (!direct) return;
  const decoded = direct.reader.finish();
  if (confirmWavPlan(direct.plan, work.structure) && decoded.ok) {
    work.decode = decoded;
    work.packets = wavPackets(direct.plan);
    await direct.analysis.ready();
    work.signal = direct.analysis.summarize(decoded.sampleRate, decoded.samples);
    return;
  }
  debug('WAVE layout not confirmed by the structure parse: decoding with ffmpeg');
  await direct.analysis.dispose();
  if (work.tools && work.probe) await ffmpegDecode(work, work.tools, true);
}

function progressConsumer(report: (seconds: number) => void): import('./decode/types.js').PcmConsumer {
  let rate = 1;
  let samples = 0;
  let last = 0;
  return {
    begin(sampleRate) {
      rate = sampleRate;
    },
    push(pcm) {
      samples += pcm.length;
      const seconds = samples / rate;
      if (seconds - last >= 1) {
        last = seconds;
        report(seconds);
      }
    },
    end() {
      report(samples / rate);
    },
  };
}

async function detectStage(ctx: AnalysisContext, detectors: readonly Detector[], warnings: ToolWarning[]) {
  const checks: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const detector of detectors) {
    const started = performance.now();
    try {
      const result = await detector.run(ctx);
      debug('detector %s: %d ms', detector.meta.id, Math.round(performance.now() - started));
      const check: CheckResult = { id: detector.meta.id, outcome: result.outcome };
      if (result.note) check.note = result.note;
      checks.push(check);
      findings.push(...result.findings);
    } catch (error) {
      debug('detector %s failed: %o', detector.meta.id, error);
      warnings.push({ stage: `detector:${detector.meta.id}`, message: message(error) });
      checks.push({
        id: detector.meta.id,
        outcome: 'not-assessable',
        note: `check failed to run: ${message(error)}`,
      });
    }
  }
  return { checks, findings: sortFindings(findings) };
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
}

/** The verdict never says "authentic": at best, no signs were found by these checks. */
export function summarize(findings: readonly Finding[]): Summary {
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const verdict =
    counts.critical > 0 ? 'signs-of-editing' : counts.warning > 0 ? 'review-recommended' : 'no-signs-found';
  return { verdict, counts };
}

function toolInfo(tools: Binaries | undefined): ToolInfo {
  const info: ToolInfo = { name: TOOL_NAME, version: TOOL_VERSION, node: process.version };
  if (tools) {
    info.ffmpeg = tools.ffmpeg.version;
    info.ffprobe = tools.ffprobe.version;
  }
  return info;
}

const iso = (date: Date): string => date.toISOString();

/**
 * Inspect one recording. Throws only when the job cannot be done (missing path, directory, unreadable,
 * no ffmpeg); a damaged recording yields findings instead.
 */
export async function inspectFile(path: string, options: InspectOptions = {}): Promise<InspectRun> {
  const input = await resolveInput(path);
  const [tools, head] = await Promise.all([binaries(), readHead(input.path)]);
  const signatures = loadSignatures(options.signatures ?? []);
  const identified = identify(head);
  const work: Work = { input, options, warnings: [], head, identified, tools, signatures };

  const algos: HashAlgo[] = [
    'sha256',
    'sm3',
    ...(options.algorithms ?? []).filter((a) => a !== 'sha256' && a !== 'sm3'),
  ];
  const size = input.stat.size;
  const plan = identified.container === 'wav' ? planWavPcm(head, size) : undefined;
  const readers: ChunkConsumer[] = [...(options.readers ?? [])];
  if (plan) {
    const analysis = createSignalAnalysis();
    const seconds = plan.dataSize / plan.blockAlign / plan.sampleRate;
    const reader = new WavPcmReader(plan, decodeConsumers(work, analysis, seconds));
    work.direct = { plan, reader, analysis };
    readers.push(reader);
  }
  const hasher = hasherFor(algos, size);
  let bytesRead: number;
  let digests: Record<HashAlgo, string>;
  try {
    const hashing = streamFile(input.path, [hasher, ...readers], {
      onProgress: (bytes) =>
        options.onProgress?.({ stage: 'hash', fraction: size > 0 ? bytes / size : 1, file: input.name }),
    });
    [bytesRead] = await Promise.all([
      hashing,
      structureStage(work),
      metadataStage(work),
      probeAndDecodeStage(work),
    ]);
    digests = await hasher.finish();
    debug('read, structure, metadata and decode ended');
  } catch (error) {
    await hasher.abort?.();
    await work.direct?.analysis.dispose();
    throw error;
  }
  await finishDirect(work);

  const { extension, matches } = extensionMatches(input.name, identified);
  const format: FormatInfo = {
    container: identified.container,
    description: identified.description,
    extensionMatches: matches,
  };
  if (extension) format.extension = extension;
  if (identified.brand) format.brand = identified.brand;
  if (identified.compatibleBrands) format.compatibleBrands = identified.compatibleBrands;

  const file: FileInfo = {
    name: input.name,
    path: input.linkPath ?? input.path,
    size: input.stat.size,
    modified: iso(input.stat.mtime),
    sha256: digests.sha256,
    sm3: digests.sm3,
  };
  if (input.linkPath) file.realPath = input.path;
  if (input.stat.birthtimeMs > 0) file.created = iso(input.stat.birthtime);
  for (const algo of algos) if (algo !== 'sha256' && algo !== 'sm3') file[algo] = digests[algo];

  const media = mergeMedia(work.probe, work.metadata);
  if (work.decode?.ok) media.duration.decoded = Math.round(work.decode.duration * 1000) / 1000;
  if (work.structure) {
    for (const d of work.structure.declared) {
      if (media.duration[d.source] === undefined)
        media.duration[d.source] = Math.round(d.seconds * 1000) / 1000;
    }
  }
  if (work.decode?.decoder === 'silk-wasm' && work.decode.ok) {
    media.codec ??= 'silk';
    media.sampleRate ??= work.decode.sampleRate;
    media.channels ??= 1;
  }

  const base: AnalysisContext = {
    file,
    identified,
    format,
    media,
    head,
    signatures,
    writerProfiles: builtinProfiles(),
    ...(options.exemplar ? { exemplar: options.exemplar } : {}),
    ...(work.probe ? { probe: work.probe } : {}),
    ...(work.packets ? { packets: work.packets } : {}),
    ...(work.metadata ? { metadata: work.metadata } : {}),
    ...(work.structure ? { structure: work.structure } : {}),
    ...(work.decode ? { decode: work.decode } : {}),
    ...(work.signal ? { signal: work.signal } : {}),
  };
  const ctx: AnalysisContext = { ...base, writers: matchSignatures(signatures, writerTraces(base)) };
  const detected = await detectStage(ctx, options.detectors ?? DETECTORS, work.warnings);
  debug('detectors ended');
  const reviewed = review({
    ...detected,
    writers: new Map((ctx.writers ?? []).map((m) => [m.signature.id, m.signature.name])),
    quirks: loadQuirks(options.quirks ?? []),
    ...(ctx.signal?.duration !== undefined ? { duration: ctx.signal.duration } : {}),
  });
  const checks = reviewed.checks;
  const findings = sortFindings(reviewed.findings);
  const result: InspectResult = {
    tool: toolInfo(tools),
    file,
    format,
    media,
    checks,
    findings,
    summary: summarize(findings),
    warnings: work.warnings,
  };
  if (work.signal)
    result.timeline = {
      duration: work.signal.duration,
      peaks: work.signal.peaks,
      speech: work.signal.speech,
    };
  if (work.structure)
    (result as InspectResult & { structure?: unknown }).structure = structureSummary(work.structure);
  if (options.exemplar) {
    const profile = profileOf({
      container: identified.container,
      ...(work.structure ? { structure: work.structure } : {}),
      ...(work.probe ? { probe: work.probe } : {}),
    });
    const { differences } = compareProfile(profile, options.exemplar);
    result.exemplar = {
      files: options.exemplar.files,
      matches: differences.every((d) => VERSION_FIELDS.has(d.field)),
      differences,
    };
  }
  return { result, input, digests, bytesRead };
}

/** The normalised structure facts, without bulky per-format details. */
function structureSummary(report: StructureReport): Record<string, unknown> {
  const { details: _details, ...rest } = report;
  return rest;
}

/** Public API: inspect one or more files; returns the contract objects. */
export async function inspect(path: string, options?: InspectOptions): Promise<InspectResult> {
  return (await inspectFile(path, options)).result;
}
