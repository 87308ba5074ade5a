// The single decode's interface: PCM consumers see the audio once, as mono 16-bit samples.

/** Something that analyses the decoded audio as it streams past (level, spectrum, peaks…). */
export interface PcmConsumer {
  /**
   * Called once before any samples. `expectedSamples` is what the container says the decode will give
   * (a hint for sizing arrays once; the decode may give more or fewer).
   */
  begin(sampleRate: number, expectedSamples?: number): void;
  /**
   * Mono samples, in order; the array is only valid during the call. A promise asks the decoder to wait
   * for it before it hands over more (a consumer on another thread that has fallen behind).
   */
  push(samples: Int16Array): void | Promise<void>;
  end(): void;
}

export interface DecoderMessage {
  /** Approximate time in the recording (seconds) when the decoder complained. */
  at?: number;
  text: string;
}

export interface DecodeResult {
  ok: boolean;
  /** 'pcm': plain PCM WAVE samples taken from the hashing read (what ffmpeg would have decoded). */
  decoder: 'ffmpeg' | 'silk-wasm' | 'pcm' | 'none';
  sampleRate: number;
  /** Decoded mono samples in total. */
  samples: number;
  /** samples / sampleRate. */
  duration: number;
  /** Decoder errors and warnings, with their approximate times. */
  messages: DecoderMessage[];
  /** Why the decode failed or stopped early, when it did. */
  error?: string;
  /** MD5 of the decoded mono s16le samples, when asked for (FLAC stores the same digest of its audio). */
  pcmMd5?: string;
}
