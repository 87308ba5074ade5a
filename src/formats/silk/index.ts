// SILK v3 (WeChat/QQ voice) frame walk: each packet is a 16-bit little-endian length and its payload, so a
// cut anywhere but on a packet boundary leaves a last packet shorter than its length says.
import { BlockReader } from '../block-reader.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

const MAGIC = Buffer.from('#!SILK_V3', 'latin1');
/** The SDK encoder (non-Tencent variant) ends the stream with a length of -1. */
const END_MARKER = -1;
/** Voice-message packets hold 20 ms; the time of a sign is placed with that. */
const PACKET_SECONDS = 0.02;

const secs = (packets: number): number => Math.round(packets * PACKET_SECONDS * 1e6) / 1e6;

export const silkParser: StructureParser = {
  containers: ['silk'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('silk');
    const size = source.size;
    const window = new BlockReader(source);
    const head = await window.bytes(0, MAGIC.length + 1);
    // Tencent files put one 0x02 byte before the magic.
    const tencent = head[0] === 0x02;
    const start = tencent ? 1 : 0;
    if (!head.subarray(start, start + MAGIC.length).equals(MAGIC)) {
      report.warnings.push('no SILK v3 magic (#!SILK_V3)');
      return report;
    }
    report.complete = true;
    let pos = start + MAGIC.length;
    let packets = 0;
    let endMarker: number | undefined;
    while (pos < size) {
      const prefix = await window.bytes(pos, 2);
      if (prefix.length < 2) {
        report.complete = false;
        report.truncation.push({
          kind: 'partial-last-frame',
          offset: pos,
          at: secs(packets),
          detail: 'the file ends one byte into the length of a packet',
          strong: true,
          data: { needed: 2, present: prefix.length },
        });
        break;
      }
      const length = prefix.readInt16LE(0);
      if (length === END_MARKER) {
        endMarker = pos;
        pos += 2;
        break;
      }
      if (length < 0) {
        report.complete = false;
        report.frameIssues.push({
          kind: 'invalid-frame',
          offset: pos,
          at: secs(packets),
          detail: `packet length ${length} is not valid; the rest of the file was not walked`,
          strong: false,
          data: { length },
        });
        break;
      }
      if (pos + 2 + length > size) {
        report.complete = false;
        report.truncation.push({
          kind: 'partial-last-frame',
          offset: pos,
          at: secs(packets),
          detail: `the last packet needs ${length} bytes but the file ends after ${size - pos - 2}`,
          strong: true,
          data: { needed: length, present: size - pos - 2 },
        });
        break;
      }
      packets++;
      pos += 2 + length;
    }
    if (endMarker !== undefined && pos < size)
      report.appended.push({
        kind: 'trailing-data',
        offset: pos,
        at: secs(packets),
        detail: `${size - pos} bytes follow the end-of-stream marker`,
        strong: false,
        data: { bytes: size - pos },
      });
    report.details = {
      variant: tencent ? 'tencent' : 'plain',
      packets,
      ...(endMarker !== undefined ? { endMarker } : {}),
    };
    return report;
  },
};
