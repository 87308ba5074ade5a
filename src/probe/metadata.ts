// Merges music-metadata's and ffprobe's views into the contract's `media` object.
import type { IAudioMetadata } from 'music-metadata';
import type { MediaInfo } from '../types.js';
import type { ProbeResult } from './ffprobe.js';

const METADATA_TIMEOUT_MS = 60_000;

/** music-metadata's parse, bounded in time; undefined (with the reason) when it cannot parse. */
export async function readMetadata(path: string): Promise<{ metadata?: IAudioMetadata; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('music-metadata timed out')), METADATA_TIMEOUT_MS);
    });
    // Loaded on first use: the package takes tens of milliseconds to load, which the start of every
    // command would otherwise pay before any work begins (here it overlaps the probes).
    const { parseFile } = await import('music-metadata');
    const metadata = await Promise.race([parseFile(path, { skipCovers: true, duration: false }), timeout]);
    return { metadata };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

const MAX_TAG_CHARS = 4096;
const finite = (n: number | undefined): number | undefined =>
  n !== undefined && Number.isFinite(n) ? n : undefined;
const numberOf = (text: string | undefined): number | undefined => {
  if (text === undefined || text === '' || text === 'N/A') return undefined;
  return finite(Number(text));
};

/** Tag values are untrusted: shorten huge ones, render binary ones as a size. */
function tagValue(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > MAX_TAG_CHARS ? `${value.slice(0, MAX_TAG_CHARS)}…` : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 50).map(tagValue);
  if (typeof value === 'object' && value) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 50)) out[k] = tagValue(v);
    return out;
  }
  return String(value);
}

function isoDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const DEVICE_TAGS = [
  'com.apple.quicktime.make',
  'com.apple.quicktime.model',
  'com.android.manufacturer',
  'com.android.model',
  'make',
  'model',
  'device',
  'com.apple.quicktime.software',
];

/** Builds `media` from both parsers; ffprobe wins for stream facts, tags from both are kept. */
export function mergeMedia(probe: ProbeResult | undefined, metadata: IAudioMetadata | undefined): MediaInfo {
  const audio = probe?.audio;
  const fmt = metadata?.format;
  const tags: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(probe?.format?.tags ?? {})) tags[`ffprobe.format.${k}`] = tagValue(v);
  for (const [k, v] of Object.entries(audio?.tags ?? {})) tags[`ffprobe.stream.${k}`] = tagValue(v);
  for (const [type, list] of Object.entries(metadata?.native ?? {})) {
    for (const tag of list.slice(0, 500)) {
      const key = `${type}.${tag.id}`;
      if (!(key in tags)) tags[key] = tagValue(tag.value);
    }
  }
  const media: MediaInfo = { duration: {}, tags };
  const codec = audio?.codec_name ?? fmt?.codec;
  if (codec) media.codec = codec;
  const profile = audio?.profile ?? fmt?.codecProfile;
  if (profile) media.codecProfile = profile;
  const sampleRate = numberOf(audio?.sample_rate) ?? finite(fmt?.sampleRate);
  if (sampleRate) media.sampleRate = sampleRate;
  const channels = audio?.channels ?? finite(fmt?.numberOfChannels);
  if (channels) media.channels = channels;
  const bitrate = numberOf(audio?.bit_rate) ?? numberOf(probe?.format?.bit_rate) ?? finite(fmt?.bitrate);
  if (bitrate) media.bitrate = Math.round(bitrate);
  if (fmt?.codecProfile && /V\d|VBR|CBR|ABR/i.test(fmt.codecProfile)) media.bitrateMode = fmt.codecProfile;
  const bits = finite(fmt?.bitsPerSample) ?? (audio?.bits_per_sample || undefined);
  if (bits) media.bitsPerSample = bits;
  const containerDuration = numberOf(probe?.format?.duration) ?? finite(fmt?.duration);
  if (containerDuration !== undefined) media.duration.container = containerDuration;
  const streamDuration = numberOf(audio?.duration);
  if (streamDuration !== undefined) media.duration.stream = streamDuration;
  const allTags = { ...(probe?.format?.tags ?? {}), ...(audio?.tags ?? {}) };
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(allTags)) lower[k.toLowerCase()] = v;
  const encoder = lower['encoder'] ?? lower['encoded_by'] ?? lower['software'] ?? fmt?.tool;
  if (encoder) media.encoder = String(tagValue(encoder));
  const created = isoDate(
    lower['creation_time'] ?? lower['com.apple.quicktime.creationdate'] ?? lower['date'],
  );
  if (created) media.created = created;
  const device = DEVICE_TAGS.map((k) => lower[k]).filter(Boolean);
  if (device.length > 0) media.device = String(tagValue([...new Set(device)].join(' ')));
  return media;
}
