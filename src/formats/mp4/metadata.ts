// MP4 metadata: iTunes-style ilst, QuickTime mdta keys, udta children (©xyz, 3GPP asset boxes, Samsung atoms) and XMP.

import { fourcc, printable } from './atoms.js';
import { cleanText, readHdlr } from './boxes.js';

/** Tags and device facts gathered from every metadata box, plus markers naming the boxes found. */
export interface Mp4Metadata {
  /** Tag name → value (ilst items by atom name or mdta key, udta texts by atom name). */
  tags: Record<string, string>;
  /** Strings that name the writing program. */
  software: string[];
  /** Device facts (make, model, OS version, location, recorder app). */
  device: Record<string, string>;
  markers: string[];
  /** XMP packets (bounded), for the report. */
  xmp: string[];
}

export function emptyMetadata(): Mp4Metadata {
  return { tags: {}, software: [], device: {}, markers: [], xmp: [] };
}

const MAX_TAGS = 200;

/** ilst items and udta texts that name the writing program. */
const SOFTWARE_TAGS = new Set([
  '©too',
  '©enc',
  '©swr',
  'com.apple.quicktime.software',
  'encoder',
  'com.android.capture.software',
]);

/** Device facts, by tag name. */
const DEVICE_TAGS: Record<string, string> = {
  '©mak': 'make',
  '©mod': 'model',
  '©xyz': 'location',
  'com.apple.quicktime.make': 'make',
  'com.apple.quicktime.model': 'model',
  'com.apple.quicktime.software': 'software',
  'com.apple.quicktime.location.ISO6709': 'location',
  'com.apple.quicktime.creationdate': 'creationDate',
  'com.android.version': 'androidVersion',
  'com.android.manufacturer': 'make',
  'com.android.model': 'model',
  'com.android.capture.fps': 'captureFps',
  mdln: 'model',
};

function setTag(meta: Mp4Metadata, name: string, value: string): void {
  if (!value || Object.keys(meta.tags).length >= MAX_TAGS) return;
  meta.tags[name] ??= value;
  if (SOFTWARE_TAGS.has(name) && !meta.software.includes(value)) meta.software.push(value);
  const deviceKey = DEVICE_TAGS[name];
  if (deviceKey) meta.device[deviceKey] ??= value;
}

function addMarker(meta: Mp4Metadata, marker: string): void {
  if (!meta.markers.includes(marker) && meta.markers.length < 100) meta.markers.push(marker);
}

/** Child boxes of `p` from `start` (size + type), stopping at the first malformed one. */
function* children(p: Buffer, start = 0): Generator<{ type: string; body: Buffer }> {
  let pos = start;
  let n = 0;
  while (pos + 8 <= p.length && n++ < 1000) {
    const size = p.readUInt32BE(pos);
    if (size < 8 || pos + size > p.length) return;
    yield { type: fourcc(p, pos + 4), body: p.subarray(pos + 8, pos + size) };
    pos += size;
  }
}

/** Value of an ilst `data` box: text, or a number for the integer types. */
function dataValue(body: Buffer): string | undefined {
  if (body.length < 8) return undefined;
  const kind = body.readUInt32BE(0) & 0xffffff;
  const value = body.subarray(8);
  if (kind === 1 || kind === 4) return cleanText(value);
  if (kind === 2 || kind === 5) return cleanText(Buffer.from(value.toString('utf16le')));
  if (kind === 21 || kind === 22) {
    if (value.length === 1) return String(kind === 21 ? value.readInt8(0) : value.readUInt8(0));
    if (value.length === 2) return String(kind === 21 ? value.readInt16BE(0) : value.readUInt16BE(0));
    if (value.length === 4) return String(kind === 21 ? value.readInt32BE(0) : value.readUInt32BE(0));
    return undefined;
  }
  if (kind === 23 && value.length === 4) return String(value.readFloatBE(0));
  if (kind === 0 && value.length > 0 && value.length <= 64) {
    // Binary data (e.g. trkn, iTunSMPB stored as binary): keep printable text only.
    const text = cleanText(value);
    return text.length >= 2 ? text : undefined;
  }
  return undefined;
}

/**
 * meta payload, in either layout: ISO FullBox (version/flags then hdlr) or QuickTime (hdlr first).
 * Returns the handler type ('mdir', 'mdta', 'ID32'…).
 */
export function readMeta(p: Buffer, meta: Mp4Metadata, where: string): void {
  let start = 0;
  if (p.length >= 12 && fourcc(p, 8) === 'hdlr') start = 4;
  else if (p.length >= 8 && fourcc(p, 4) === 'hdlr') start = 0;
  else if (p.length >= 4 && p.readUInt32BE(0) === 0) start = 4;
  addMarker(meta, where === 'moov' ? 'meta' : `${where}:meta`);
  let keys: string[] = [];
  let handler = '';
  for (const box of children(p, start)) {
    if (box.type === 'hdlr') {
      handler = readHdlr(box.body)?.type ?? '';
      if (handler) addMarker(meta, `meta:${printable(handler)}`);
    } else if (box.type === 'keys') keys = readKeys(box.body);
    else if (box.type === 'ilst') readIlst(box.body, keys, meta);
    else if (box.type === 'xml ' || box.type === 'XMP_') readXmp(box.body.subarray(4), meta);
    else addMarker(meta, `meta:${printable(box.type)}`);
  }
  for (const key of keys) addMarker(meta, `keys:${key}`);
}

function readKeys(p: Buffer): string[] {
  const keys: string[] = [];
  for (const box of children(p, 8)) {
    // Each key box is size + namespace ('mdta') + the key name.
    if (keys.length >= MAX_TAGS) break;
    keys.push(cleanText(box.body, 128));
  }
  return keys;
}

function readIlst(p: Buffer, keys: string[], meta: Mp4Metadata): void {
  addMarker(meta, 'ilst');
  for (const item of children(p)) {
    let name = item.type;
    // mdta-style lists name items by a 1-based index into the keys box.
    const index = Buffer.from(item.type, 'latin1').readUInt32BE(0);
    if (keys.length > 0 && index >= 1 && index <= keys.length) name = keys[index - 1]!;
    let mean = '';
    let freeName = '';
    for (const part of children(item.body)) {
      if (part.type === 'mean') mean = cleanText(part.body.subarray(4), 128);
      else if (part.type === 'name') freeName = cleanText(part.body.subarray(4), 128);
      else if (part.type === 'data') {
        const value = dataValue(part.body);
        const tag = name === '----' ? (freeName ? `${mean ? `${mean}:` : ''}${freeName}` : '----') : name;
        if (value !== undefined) setTag(meta, tagName(tag), value);
      }
    }
    addMarker(meta, `ilst:${name === '----' && freeName ? freeName : tagName(name)}`);
  }
}

/** Four-character names shown printable; mdta key names kept as they are. */
const tagName = (name: string): string => (name.length === 4 ? printable(name) : name);

/** 3GPP asset boxes: FullBox + packed language + UTF-8/16 string. */
const THREE_GPP_TEXT = new Set(['titl', 'auth', 'perf', 'gnre', 'dscp', 'cprt', 'albm', 'kywd']);

/** udta payload (moov- or track-level). */
export function readUdta(p: Buffer, meta: Mp4Metadata, where: string): void {
  addMarker(meta, where === 'moov' ? 'udta' : `${where}:udta`);
  for (const box of children(p)) {
    const type = printable(box.type);
    addMarker(meta, `udta:${type}`);
    if (box.type === 'meta') readMeta(box.body, meta, 'udta');
    else if (box.type.startsWith('\xa9') && box.body.length >= 4) {
      // QuickTime international text: uint16 length, uint16 language, then the text.
      const length = box.body.readUInt16BE(0);
      const text = cleanText(box.body.subarray(4, 4 + Math.min(length, box.body.length - 4)));
      const looksLikeText = length > 0 && length <= box.body.length - 4;
      setTag(meta, type, looksLikeText ? text : cleanText(box.body));
    } else if (THREE_GPP_TEXT.has(box.type) && box.body.length > 6) {
      setTag(meta, type, cleanText(box.body.subarray(6)));
    } else if (box.type === 'loci' && box.body.length > 6) {
      meta.device['location'] ??= cleanText(box.body.subarray(6), 128);
    } else if (box.type === 'date') {
      // Apple Voice Memos: an ISO date string as the whole payload.
      setTag(meta, 'date', cleanText(box.body, 64));
    } else if (box.type === 'smta' && box.body.length > 4) {
      // Samsung: FullBox holding child atoms such as mdln (device model) and saut.
      for (const inner of children(box.body, 4)) {
        addMarker(meta, `smta:${printable(inner.type)}`);
        if (inner.type === 'mdln') setTag(meta, 'mdln', cleanText(inner.body, 64));
      }
    } else if (box.type === 'vrdt' || box.type === 'SDLN' || box.type === 'smrd') {
      // Samsung Voice Recorder: a serialised Java class names the recorder app.
      const text = box.body.toString('latin1');
      const app = /com\.sec\.android\.app\.[a-z]+/.exec(text)?.[0];
      if (app) {
        meta.device['recorderApp'] ??= app;
        if (!meta.software.includes(app)) meta.software.push(app);
      }
      if (box.type !== 'vrdt') setTag(meta, type, cleanText(box.body, 64));
    } else if (box.type === 'XMP_') readXmp(box.body, meta);
  }
}

/** Largest XMP packet kept in the report. */
const MAX_XMP = 64 * 1024;

export function readXmp(p: Buffer, meta: Mp4Metadata): void {
  addMarker(meta, 'xmp');
  const text = p.subarray(0, MAX_XMP).toString('utf8');
  if (meta.xmp.length < 4) meta.xmp.push(text);
  for (const field of ['xmp:CreatorTool', 'stEvt:softwareAgent', 'xmpMM:History']) {
    const re = new RegExp(`${field}(?:="([^"]{1,200})"|>([^<]{1,200})<)`, 'g');
    for (const m of text.matchAll(re)) {
      const value = (m[1] ?? m[2] ?? '').trim();
      if (value && !meta.software.includes(value) && meta.software.length < 32) meta.software.push(value);
    }
  }
}

/** iTunSMPB: " 00000000 00000840 000001CA 00000000003F31F6 …" = delay, padding, sample count (hex). */
export function itunSmpb(meta: Mp4Metadata): { delay: number; padding: number; samples: number } | undefined {
  const value = meta.tags['com.apple.iTunes:iTunSMPB'] ?? meta.tags['iTunSMPB'];
  if (!value) return undefined;
  const parts = value.trim().split(/\s+/);
  if (parts.length < 4) return undefined;
  const delay = Number.parseInt(parts[1] ?? '', 16);
  const padding = Number.parseInt(parts[2] ?? '', 16);
  const samples = Number.parseInt(parts[3] ?? '', 16);
  if (![delay, padding, samples].every(Number.isFinite)) return undefined;
  return { delay, padding, samples };
}
