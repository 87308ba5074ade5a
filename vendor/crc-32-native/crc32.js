// crc-32's API (signed 32-bit results; a seed is the previous result) on Node's native zlib.crc32, which is
// several times faster than the JavaScript tables: archiver computes the CRC of every byte it zips.
'use strict';
const { crc32 } = require('node:zlib');

/** Continues a CRC-32 from `seed` (crc-32 passes any non-number as 0). */
const start = (seed) => (Number(seed) | 0) >>> 0;

module.exports = {
  version: '1.2.2-native.0',
  buf: (data, seed) => crc32(data, start(seed)) | 0,
  bstr: (text, seed) => crc32(Buffer.from(text, 'latin1'), start(seed)) | 0,
  str: (text, seed) => crc32(Buffer.from(text, 'utf8'), start(seed)) | 0,
};
