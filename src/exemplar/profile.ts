// A recording's structure profile: what its writer controls, reduced to facts that do not depend on content.
import type { StructureReport } from '../formats/types.js';
import type { ProbeResult } from '../probe/ffprobe.js';

/** One profile value: plain JSON, lists kept in the order the file has them unless the field says "set". */
export type FieldValue = string | number | boolean | string[] | number[];

/** The profile of one recording: field name → value (absent fields are simply missing). */
export interface StructureProfile {
  container: string;
  fields: Record<string, FieldValue>;
}

/** What a profile is built from: the facts inspect already gathered (identify, structure parse, ffprobe). */
export interface ProfileSource {
  container: string;
  structure?: Readonly<StructureReport>;
  probe?: Readonly<ProbeResult>;
}

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Metadata keys whose presence follows the user or the place, not the app (a title typed or not, location
 * services on or off): never part of a profile.
 */
const VARYING_KEYS =
  /^(location|location-[a-z]+|©xyz|com\.apple\.quicktime\.location\.|loci|title|©nam|tit2|comment|©cmt|description|date|creation_time|encoded_by)/i;

/**
 * A writer string without its version: digits masked and parentheses emptied (iOS puts the OS version and
 * sometimes the phone's name there), so one app's strings from two versions or phones compare equal.
 */
export const writerIdentity = (s: string): string =>
  s
    .replace(/\([^()]*(\([^()]*\)[^()]*)*\)/g, '(…)')
    .replace(/\d+/g, '#')
    .trim();

/** Tag keys, sorted, without the ones whose presence varies between recordings of one writer. */
function keysOf(tags: Record<string, unknown> | undefined): string[] | undefined {
  if (!tags) return undefined;
  const keys = Object.keys(tags)
    .map((k) => k.toLowerCase())
    .filter((k) => !VARYING_KEYS.test(k));
  return [...new Set(keys)].sort();
}

class Fields {
  readonly out: Record<string, FieldValue> = {};
  set(name: string, value: FieldValue | undefined | null): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'number' && !Number.isFinite(value)) return;
    this.out[name] = value;
  }
}

/** Atoms whose presence follows the phone's settings (location services), not the app. */
const VARYING_ATOMS = new Set(['©xyz', 'loci']);

/** Atom tree shape as text: types and nesting in file order, no sizes ("ftyp mdat moov(mvhd trak(…))"). */
function atomShape(nodes: unknown): string | undefined {
  if (!Array.isArray(nodes)) return undefined;
  const parts: string[] = [];
  for (const node of nodes) {
    if (!isDict(node)) continue;
    const type = str(node['type']) ?? '?';
    if (VARYING_ATOMS.has(type)) continue;
    const kids = atomShape(node['children']);
    const part = kids ? `${type}(${kids})` : type;
    // Consecutive repeats (moof/mdat pairs, one or two free atoms of padding) follow length and metadata size.
    if (parts.at(-1) !== part) parts.push(part);
  }
  return parts.join(' ');
}

function mp4Fields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  const ftyp = isDict(d['ftyp']) ? d['ftyp'] : undefined;
  if (ftyp) {
    f.set('mp4.ftyp.brand', str(ftyp['brand']));
    f.set('mp4.ftyp.minorVersion', num(ftyp['minorVersion']));
    const brands = ftyp['compatibleBrands'];
    if (Array.isArray(brands)) f.set('mp4.ftyp.compatibleBrands', brands.map(String));
  }
  f.set('mp4.atoms', atomShape(d['atoms']));
  const mvhd = isDict(d['mvhd']) ? d['mvhd'] : undefined;
  if (mvhd) {
    f.set('mp4.mvhd.timescale', num(mvhd['timescale']));
    f.set('mp4.mvhd.timesSet', typeof mvhd['created'] === 'string');
  }
  const tracks = Array.isArray(d['tracks']) ? d['tracks'].filter(isDict) : [];
  f.set(
    'mp4.tracks',
    tracks.map((t) => str(t['handler']) ?? '?'),
  );
  const main = tracks.find((t) => t['main'] === true) ?? tracks[0];
  if (main) {
    f.set('mp4.track.handlerName', str(main['handlerName']) ?? '');
    f.set('mp4.track.timescale', num(main['timescale']));
    f.set('mp4.track.language', str(main['language']));
    f.set('mp4.stsd.format', str(main['codec']));
    f.set('mp4.stsd.channels', num(main['channels']));
    f.set('mp4.stsd.sampleSize', num(main['sampleSize']));
    f.set('mp4.stsd.sampleRate', num(main['sampleRate']));
    const boxes = main['sampleEntryBoxes'];
    if (Array.isArray(boxes)) f.set('mp4.stsd.boxes', boxes.map(String));
    const audio = isDict(main['audio']) ? main['audio'] : undefined;
    if (audio) {
      f.set('mp4.esds.objectType', num(audio['objectType']));
      f.set('mp4.esds.audioObjectType', num(audio['audioObjectType']));
      f.set('mp4.esds.sampleRate', num(audio['sampleRate']));
      f.set('mp4.esds.channels', num(audio['channels']));
      f.set('mp4.esds.frameLength', num(audio['frameLength']));
      // Whether the writer states an average bitrate at all; the values follow the content (FFmpeg measures
      // them), so only their presence is compared.
      const avg = num(audio['avgBitrate']);
      if (avg !== undefined) f.set('mp4.esds.avgBitrate', avg === 0 ? 'none' : 'stated');
    }
    const vendor = str(main['amrVendor']);
    if (vendor !== undefined) f.set('mp4.damr.vendor', vendor.replace(/[^\x21-\x7e]/g, '') || 'blank');
    const constant = num(main['constantSampleSize']);
    if (constant !== undefined) f.set('mp4.stsz.sizes', constant > 0 ? 'constant' : 'per-sample');
    const edits = Array.isArray(main['edits']) ? main['edits'].filter(isDict) : [];
    f.set('mp4.elst.entries', edits.length);
    const first = edits[0];
    if (first) f.set('mp4.elst.mediaTime', num(first['mediaTime']));
  }
  const frame = isDict(d['frameDuration']) ? d['frameDuration'] : undefined;
  if (frame) f.set('mp4.stts.frameTicks', num(frame['ticks']));
  const mdats = Array.isArray(d['mdat']) ? d['mdat'].filter(isDict) : [];
  f.set('mp4.mdat.count', mdats.length > 1 ? 'several' : mdats.length);
  const markers = s.writer.markers;
  f.set(
    'mp4.mdat.position',
    markers.includes('mdat-before-moov')
      ? 'before-moov'
      : markers.includes('moov-before-mdat')
        ? 'after-moov'
        : 'none',
  );
  f.set(
    'mp4.mdat.header',
    markers.includes('mdat-size-zero') ? 'to-end' : markers.includes('mdat-64bit') ? '64-bit' : '32-bit',
  );
  f.set('mp4.iTunSMPB', d['iTunSMPB'] !== undefined);
  f.set('mp4.metadataKeys', keysOf(isDict(d['metadata']) ? d['metadata'] : undefined));
  f.set('mp4.deviceKeys', keysOf(isDict(d['device']) ? d['device'] : undefined));
  f.set('mp4.xmp', Array.isArray(d['xmp']) && d['xmp'].length > 0);
}

function mp3Fields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  const id3 = Array.isArray(d['id3v2']) ? d['id3v2'].filter(isDict) : [];
  f.set(
    'mp3.id3v2',
    id3.map((t) => str(t['version']) ?? '?'),
  );
  const first = id3[0];
  if (first) {
    const frames = Array.isArray(first['frames']) ? first['frames'].filter(isDict) : [];
    const ids = frames.map((fr) => {
      const id = str(fr['id']) ?? '?';
      // TXXX/COMM frames are told apart by their description, which the writer chooses.
      const value = str(fr['value']);
      return id === 'TXXX' && value?.includes('=') ? `TXXX:${value.split('=')[0]}` : id;
    });
    f.set('mp3.id3v2.frames', [...new Set(ids.filter((id) => !VARYING_KEYS.test(id)))].sort());
    f.set('mp3.id3v2.padding', (num(first['padding']) ?? 0) > 0);
  }
  const tails = Array.isArray(d['tailTags']) ? d['tailTags'] : [];
  f.set(
    'mp3.tailTags',
    tails.map((t) => (isDict(t) ? (str(t['kind']) ?? str(t['type']) ?? '?') : String(t))),
  );
  const stream = isDict(d['stream']) ? d['stream'] : undefined;
  if (stream) {
    f.set('mp3.version', str(stream['version']));
    f.set('mp3.layer', num(stream['layer']));
    f.set('mp3.channelMode', str(stream['channelMode']));
    f.set('mp3.crc', stream['crcProtected'] === true);
  }
  const frames = isDict(d['frames']) ? d['frames'] : undefined;
  if (frames) {
    const vbr = frames['vbr'] === true;
    f.set('mp3.bitrateMode', vbr ? 'variable' : 'constant');
    const rates = isDict(frames['bitrates']) ? Object.keys(frames['bitrates']) : [];
    if (!vbr && rates.length === 1) f.set('mp3.bitrate', Number(rates[0]));
  }
  const header = isDict(d['header']) ? d['header'] : undefined;
  f.set('mp3.infoFrame', header ? (str(header['kind']) ?? 'unknown') : 'none');
  const lame = header && isDict(header['lame']) ? header['lame'] : undefined;
  if (header) {
    f.set('mp3.infoFrame.toc', header['hasToc'] === true);
    f.set('mp3.lameTag', lame !== undefined);
  }
  if (lame) {
    f.set('mp3.lame.encoder', str(lame['encoder']));
    f.set('mp3.lame.vbrMethod', num(lame['vbrMethod']));
    f.set('mp3.lame.lowpassHz', num(lame['lowpassHz']));
    f.set('mp3.lame.encoderDelay', num(lame['encoderDelay']));
  }
}

function wavFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  f.set('wav.form', str(d['form']));
  const chunks = Array.isArray(d['chunks']) ? d['chunks'].filter(isDict) : [];
  f.set(
    'wav.chunks',
    chunks.map((c) => (str(c['id']) ?? '?').trim()),
  );
  const format = isDict(d['format']) ? d['format'] : undefined;
  if (format) {
    f.set('wav.fmt.formatTag', num(format['formatTag']));
    f.set('wav.fmt.chunkSize', num(format['chunkSize']));
    f.set('wav.fmt.bitsPerSample', num(format['bitsPerSample']));
    f.set('wav.fmt.blockAlign', num(format['blockAlign']));
  }
  const data = isDict(d['data']) ? d['data'] : undefined;
  if (data) f.set('wav.dataStart', num(data['start']));
  f.set('wav.infoKeys', keysOf(isDict(d['info']) ? d['info'] : undefined));
  const bext = isDict(d['bext']) ? d['bext'] : undefined;
  if (bext) {
    f.set(
      'wav.bext.keys',
      Object.entries(bext)
        .filter(([, v]) => v !== '' && v !== 0 && v !== undefined)
        .map(([k]) => k)
        .sort(),
    );
    f.set('wav.bext.version', num(bext['version']));
    f.set('wav.bext.originator', str(bext['originator']));
    const history = str(bext['codingHistory']);
    if (history !== undefined) f.set('wav.bext.codingHistory', history.trim());
  }
}

function oggFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  const streams = Array.isArray(d['streams']) ? d['streams'].filter(isDict) : [];
  // Chaining, pre-skip, the serial number and the end-of-stream flag vary between genuine voice notes of
  // one messenger (WhatsApp, Telegram): not part of the profile.
  f.set(
    'ogg.streams',
    streams.map((st) => str(st['codec']) ?? '?'),
  );
  const st = streams[0];
  if (!st) return;
  f.set('ogg.codec', str(st['codec']));
  f.set('ogg.header.version', num(st['version']));
  f.set('ogg.header.channels', num(st['channels']));
  f.set('ogg.header.sampleRate', num(st['sampleRate']));
  f.set('ogg.vendor', str(st['vendor']));
  const comments = Array.isArray(st['comments']) ? st['comments'] : [];
  f.set(
    'ogg.commentKeys',
    [
      ...new Set(
        comments
          .map((c) => (Array.isArray(c) ? String(c[0]).toUpperCase() : ''))
          .filter((k) => k && !VARYING_KEYS.test(k)),
      ),
    ].sort(),
  );
  const layout = isDict(st['layout']) ? st['layout'] : undefined;
  if (layout) {
    f.set('ogg.headerPages', num(layout['headerPages']));
    f.set('ogg.packetsPerPage', num(layout['packetsPerPage']));
    f.set('ogg.packetSamples', num(layout['packetSamples']));
    f.set('ogg.commentBytes', num(layout['commentBytes']));
  }
}

function amrFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  f.set('amr.variant', str(d['variant']));
  const types = isDict(d['frameTypes']) ? Object.keys(d['frameTypes']).map(Number) : [];
  // Comfort-noise (SID) and no-data frames come and go with silence; the speech modes are the writer's.
  const sid = d['variant'] === 'wb' ? 9 : 8;
  f.set(
    'amr.speechModes',
    types.filter((t) => t < sid).sort((a, b) => a - b),
  );
}

function flacFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  const blocks = Array.isArray(d['blocks']) ? d['blocks'].filter(isDict) : [];
  f.set(
    'flac.blocks',
    blocks.map((b) => str(b['type']) ?? '?'),
  );
  const info = isDict(d['streamInfo']) ? d['streamInfo'] : undefined;
  if (info) {
    f.set('flac.minBlockSize', num(info['minBlockSize']));
    f.set('flac.maxBlockSize', num(info['maxBlockSize']));
    f.set('flac.bitsPerSample', num(info['bitsPerSample']));
  }
  f.set('flac.md5Set', d['md5Set'] === true);
  f.set('flac.vendor', str(d['vendor']));
  f.set('flac.seekTable', (num(d['seekPoints']) ?? 0) > 0);
  const comments = Array.isArray(d['comments']) ? d['comments'] : [];
  f.set(
    'flac.commentKeys',
    [
      ...new Set(
        comments
          .map((c) => (Array.isArray(c) ? String(c[0]).toUpperCase() : ''))
          .filter((k) => k && !VARYING_KEYS.test(k)),
      ),
    ].sort(),
  );
}

function adtsFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  const first = isDict(d['first']) ? d['first'] : undefined;
  if (first) {
    f.set('aac.version', str(first['version']));
    f.set('aac.profile', str(first['profile']));
    f.set('aac.channelConfig', num(first['channelConfig']));
  }
  const frames = num(d['frames']) ?? 0;
  f.set('aac.crc', (num(d['crcFrames']) ?? 0) > 0);
  // Buffer fullness 0x7FF in every header is how an encoder marks variable rate.
  const vbr = num(d['vbrFrames']) ?? 0;
  f.set('aac.bufferFullness', vbr === frames ? 'variable' : vbr === 0 ? 'stated' : 'mixed');
}

function silkFields(f: Fields, s: Readonly<StructureReport>): void {
  const d = s.details as Dict;
  f.set('silk.variant', str(d['variant']));
  f.set('silk.endMarker', d['endMarker'] !== undefined);
}

const BY_CONTAINER: Record<string, (f: Fields, s: Readonly<StructureReport>) => void> = {
  mp4: mp4Fields,
  mp3: mp3Fields,
  wav: wavFields,
  ogg: oggFields,
  amr: amrFields,
  flac: flacFields,
  aac: adtsFields,
  silk: silkFields,
};

/** The structure profile of one recording, from the facts inspect already has. Deterministic: sorted keys. */
export function profileOf(source: ProfileSource): StructureProfile {
  const f = new Fields();
  const { structure, probe } = source;
  // Formats our sniffing does not name (WebM, CAF) are named by ffprobe when it finds audio in them.
  const container =
    source.container === 'unknown' && probe?.audio && probe.format?.format_name
      ? (probe.format.format_name.split(',')[0] ?? 'unknown')
      : source.container;
  f.set('container', container);
  const audio = probe?.audio;
  if (audio) {
    f.set('codec.name', audio.codec_name);
    f.set('codec.profile', audio.profile);
    const rate = Number(audio.sample_rate);
    if (rate > 0) f.set('codec.sampleRate', rate);
    f.set('codec.channels', audio.channels);
    if (audio.bits_per_sample && audio.bits_per_sample > 0)
      f.set('codec.bitsPerSample', audio.bits_per_sample);
    f.set('stream.tagKeys', keysOf(audio.tags));
  }
  if (probe?.format) {
    f.set('format.name', probe.format.format_name);
    f.set('format.tagKeys', keysOf(probe.format.tags));
  }
  if (structure) {
    const software = [...new Set(structure.writer.software)].sort();
    f.set('writer.software', [...new Set(software.map(writerIdentity))].sort());
    f.set('writer.softwareVersions', software);
    const fill = BY_CONTAINER[structure.container] ?? BY_CONTAINER[source.container];
    fill?.(f, structure);
  }
  const fields: Record<string, FieldValue> = {};
  for (const key of Object.keys(f.out).sort()) fields[key] = f.out[key]!;
  return { container, fields };
}
