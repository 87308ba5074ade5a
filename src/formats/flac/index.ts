// FLAC structure parser: metadata blocks, the frame walk and the checks between them.
import { readId3v2 } from '../mp3/id3v2.js';
import { readTailTags } from '../mp3/tail-tags.js';
import { commentCreated, commentWriters } from '../ogg/vorbis-comment.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';
import { readMetadata } from './metadata.js';
import { walkFlacFrames } from './walk.js';

export const flacParser: StructureParser = {
  containers: ['flac'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('flac');
    // Some taggers put an ID3v2 tag before "fLaC"; readers skip it.
    const id3 = await readId3v2(source, 0);
    const marker = id3 ? id3.size : 0;
    if (id3) report.writer.markers.push('id3v2');
    const magic = await source.read(marker, 4);
    if (magic.toString('latin1') !== 'fLaC') {
      report.warnings.push('no "fLaC" marker where the stream should start');
      return report;
    }
    const md = await readMetadata(source, marker);
    report.warnings.push(...md.warnings);
    const info = md.streamInfo;
    if (!info) report.warnings.push('no STREAMINFO block');
    const tail = await readTailTags(source, md.audioStart);
    report.warnings.push(...tail.warnings);
    const walk = await walkFlacFrames(source, md.audioStart, tail.audioEnd, info);

    report.frameIssues.push(...walk.frameIssues);
    report.truncation.push(...walk.truncation);
    report.appended.push(...walk.appended);

    const rate = info?.sampleRate ?? 0;
    if (info && rate > 0 && info.totalSamples > 0) {
      report.declared.push({
        source: 'flac-streaminfo',
        seconds: info.totalSamples / rate,
        samples: info.totalSamples,
        sampleRate: rate,
      });
    }
    if (rate > 0 && walk.frames > 0) {
      report.counted.push({ source: 'flac-frames', seconds: walk.samples / rate, frames: walk.frames });
    }
    // Frames that STREAMINFO counts but neither the walk nor a numbering gap accounts for are missing at
    // the end: the file was cut on a frame boundary (the encoder writes the total when it finishes).
    const later = walk.laterStreams.reduce((n, s) => n + (s.metadata.streamInfo?.totalSamples ?? 0), 0);
    const accounted = walk.samples + walk.gapSamples;
    if (info && info.totalSamples > 0 && !walk.partial && accounted < info.totalSamples + later && rate > 0) {
      const missing = info.totalSamples + later - accounted;
      report.truncation.push({
        kind: 'declared-past-end',
        offset: walk.lastFrameEnd,
        at: walk.samples / rate,
        strong: true,
        detail: `STREAMINFO declares ${info.totalSamples} samples; the frames end ${missing} samples (${Math.round((missing / rate) * 1000) / 1000} s) short of that`,
        data: { declared: info.totalSamples, counted: walk.samples, missingSamples: missing },
      });
    }

    const software = new Set<string>();
    const markers = new Set<string>(report.writer.markers);
    if (md.comment) {
      markers.add('vorbis-comment');
      if (md.comment.vendor) {
        report.writer.vendor = md.comment.vendor;
        software.add(md.comment.vendor);
      }
      for (const w of commentWriters(md.comment)) software.add(w);
      const created = commentCreated(md.comment);
      if (created) report.times.created = created;
    }
    for (const b of md.blocks) {
      if (b.type === 'SEEKTABLE') markers.add('seektable');
      if (b.type === 'APPLICATION') markers.add(`application:${String(b.info?.['id'] ?? '')}`);
      if (b.type === 'PICTURE') markers.add('picture');
      if (b.type === 'CUESHEET') markers.add('cuesheet');
    }
    for (const t of tail.tags) markers.add(t.kind === 'id3v1-enhanced' ? 'id3v1' : t.kind);
    report.writer.software = [...software];
    report.writer.markers = [...markers];

    // Seek points that lie past the audio the file holds were written for frames that are gone.
    const audioBytes = walk.lastFrameEnd - md.audioStart;
    const past = md.seekPoints.filter(
      (p) => p.offset > audioBytes || (info && info.totalSamples > 0 && p.sample >= info.totalSamples),
    );
    if (past.length > 0 && rate > 0) {
      const firstPast = past[0]!;
      report.truncation.push({
        kind: 'index-past-end',
        offset: md.audioStart + firstPast.offset,
        at: walk.samples / rate,
        strong: true,
        detail: `${past.length} SEEKTABLE point(s) point past the last frame (the first at sample ${firstPast.sample}, byte ${firstPast.offset})`,
        data: { points: past.length, firstSample: firstPast.sample, firstOffset: firstPast.offset },
      });
    }

    report.complete = walk.frames > 0 && !walk.partial;
    report.details = {
      id3v2: id3 ? { offset: 0, size: id3.size, version: id3.version, frames: id3.frames } : undefined,
      streamInfo: info,
      // The MD5 of the unencoded audio at the stream's own bit depth: compare it with a decode at that depth.
      md5: info?.md5,
      md5Set: info ? !/^0+$/u.test(info.md5) : false,
      blocks: md.blocks,
      vendor: md.comment?.vendor,
      comments: md.comment?.comments,
      seekPoints: md.seekPoints.length,
      audioStart: md.audioStart,
      audioEnd: tail.audioEnd,
      tailTags: tail.tags,
      frames: {
        count: walk.frames,
        samples: walk.samples,
        firstFrameOffset: walk.firstFrame,
        lastFrameEnd: walk.lastFrameEnd,
        blockSizes: walk.blockSizes,
        crcFailures: walk.crcFailures,
        gapFrames: walk.gapFrames,
        gapSamples: walk.gapSamples,
        junkBytes: walk.junkBytes,
      },
      laterStreams: walk.laterStreams.map((s) => ({
        offset: s.offset,
        streamInfo: s.metadata.streamInfo,
        vendor: s.metadata.comment?.vendor,
      })),
    };
    return report;
  },
};
