// What every container parser returns: format-specific details plus normalised facts the detectors share.

/** Random access to the file under inspection, bounded per read. */
export interface ByteSource {
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A duration the file states about itself (header field, index, tag). */
export interface DeclaredDuration {
  /** e.g. "mvhd", "mdhd", "tkhd", "xing", "lame", "wav-data", "wav-fact", "ogg-granule", "flac-streaminfo". */
  source: string;
  seconds: number;
  /** Samples at `sampleRate`, when the field counts samples. */
  samples?: number;
  sampleRate?: number;
}

/** A duration obtained by counting what is really there (frames, table entries, bytes of PCM). */
export interface CountedDuration {
  /** e.g. "mp3-frames", "sample-table", "amr-frames", "adts-frames", "ogg-pages", "wav-data-bytes". */
  source: string;
  seconds: number;
  frames?: number;
}

export interface PlacedSign {
  /** Short machine kind, e.g. "partial-last-frame", "index-past-end", "second-id3", "trailing-data". */
  kind: string;
  /** Byte offset in the file. */
  offset?: number;
  /** Seconds in the recording, when the parser can place it. */
  at?: number;
  end?: number;
  detail: string;
  /** True when the sign proves a change on its own (critical), false when it only calls for a look. */
  strong?: boolean;
  data?: Record<string, unknown>;
}

export interface ParameterChange {
  parameter:
    | 'sampleRate'
    | 'channels'
    | 'bitrateMode'
    | 'layer'
    | 'version'
    | 'codec'
    | 'frameType'
    | 'other';
  from: string | number;
  to: string | number;
  at?: number;
  offset?: number;
}

/** Strings that tell which program wrote the file. */
export interface WriterHints {
  /** Encoder/writer strings found in the file (e.g. "Lavf58.76.100", "LAME3.100", "iTunes 12"). */
  software: string[];
  /** MP4 handler names (hdlr). */
  handlers?: string[];
  /** MP4 major/compatible brands and minor version. */
  brand?: string;
  compatibleBrands?: string[];
  minorVersion?: number;
  /** Ogg/FLAC vendor string. */
  vendor?: string;
  /** Presence of markers such as XMP, a LAME tag, an ISFT chunk, udta children. */
  markers: string[];
}

export interface StructureReport {
  container: string;
  /** False when the parser could not walk the whole structure (damage, unknown layout). */
  complete: boolean;
  warnings: string[];
  declared: DeclaredDuration[];
  counted: CountedDuration[];
  /** Codec delay / padding in samples, so duration checks can allow for them. */
  priming?: { delay: number; padding: number; sampleRate: number };
  truncation: PlacedSign[];
  appended: PlacedSign[];
  parameterChanges: ParameterChange[];
  /** Frame-level problems: reservoir breaks, CRC mismatches, junk between frames, page sequence gaps. */
  frameIssues: PlacedSign[];
  writer: WriterHints;
  /** Times the container records about itself (ISO-8601). */
  times: { created?: string; modified?: string };
  /** Format-specific plain data (atom tree, frame summary…), for the report's JSON. */
  details: Record<string, unknown>;
}

/** A parser for one container family. */
export interface StructureParser {
  /** Containers (from identify) it handles. */
  containers: readonly string[];
  parse(source: ByteSource): Promise<StructureReport>;
}

export function emptyReport(container: string): StructureReport {
  return {
    container,
    complete: false,
    warnings: [],
    declared: [],
    counted: [],
    truncation: [],
    appended: [],
    parameterChanges: [],
    frameIssues: [],
    writer: { software: [], markers: [] },
    times: {},
    details: {},
  };
}
