// The read-only analysis context every detector sees: facts gathered once by the pipeline.
import type { IAudioMetadata } from 'music-metadata';
import type { DecodeResult } from '../decode/types.js';
import type { WriterProfile } from '../exemplar/compare.js';
import type { Identified } from '../formats/identify.js';
import type { StructureReport } from '../formats/types.js';
import type { PacketTable, ProbeResult } from '../probe/ffprobe.js';
import type { SignalSummary } from '../signal/types.js';
import type { FileInfo, FormatInfo, MediaInfo } from '../types.js';
import type { SignatureMatch, SignatureTable } from './signatures.js';

export interface AnalysisContext {
  readonly file: Readonly<FileInfo>;
  readonly identified: Readonly<Identified>;
  readonly format: Readonly<FormatInfo>;
  readonly media: Readonly<MediaInfo>;
  /** ffprobe's view (format, streams); undefined when ffprobe could not run. */
  readonly probe?: Readonly<ProbeResult>;
  /** Audio packets of the decoded stream, from ffprobe. */
  readonly packets?: Readonly<PacketTable>;
  /** music-metadata's view, when it could parse the file. */
  readonly metadata?: Readonly<IAudioMetadata>;
  /** The container structure, when a parser exists for it. */
  readonly structure?: Readonly<StructureReport>;
  /** The single decode (sample count, decoder messages). */
  readonly decode?: Readonly<DecodeResult>;
  /** Per-window signal statistics from the same decode. */
  readonly signal?: Readonly<SignalSummary>;
  /** Known writers (recorder apps, editors), built-in plus user-supplied. */
  readonly signatures: SignatureTable;
  /**
   * The signatures this file's writer traces match, found once for every reader (the writer-signature
   * check, the time check, the review of writers' habits). Undefined only in hand-made test contexts.
   */
  readonly writers?: readonly SignatureMatch[];
  /** First bytes of the file (at most SNIFF_BYTES). */
  readonly head: Buffer;
  /** Profile of the exemplar recordings given with --exemplar, when any. */
  readonly exemplar?: Readonly<WriterProfile>;
  /** Known writer profiles (built in), for naming the closest writer when no exemplar is given. */
  readonly writerProfiles?: readonly WriterProfile[];
}
