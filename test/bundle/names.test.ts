// Portable names inside a bag, output stems, and the one-line escape of verbatim names.
import { describe, expect, it } from 'vitest';
import {
  bagName,
  bundleStem,
  escapeOneLine,
  oneLine,
  portableName,
  truncateUtf8,
  unescapeOneLine,
} from '../../src/bundle/names.js';

describe('portableName', () => {
  it.each([
    ['录音 2024-05-01 张三.m4a', '录音 2024-05-01 张三.m4a'],
    ['通话录音@13800138000_20240501.amr', '通话录音@13800138000_20240501.amr'],
    ['a:b*c?d"e<f>g|h\\i.mp3', 'a_b_c_d_e_f_g_h_i.mp3'],
    ['100% sure.wav', '100_ sure.wav'],
    ['line\r\nbreak.m4a', 'line__break.m4a'],
    ['tab\there\u0000\u007f\u0085.m4a', 'tab_here___.m4a'],
    ['para\u2028graph.m4a', 'para_graph.m4a'],
    ['  edge spaces  .m4a', '__edge spaces  .m4a'],
    ['\u3000全角空格\u3000', '_全角空格_'],
    ['trailing dot.', 'trailing dot_'],
    ['CON.m4a', '_CON.m4a'],
    ['nul', '_nul'],
    ['..', '__'],
    ['.hidden.m4a', '.hidden.m4a'],
  ])('%j → %j', (name, expected) => {
    expect(portableName(name)).toBe(expected);
  });
});

describe('bundleStem and bagName', () => {
  it.each([
    ['录音 1.m4a', '录音 1'],
    ['.hidden.m4a', 'hidden'],
    ['.m4a', 'm4a'],
    ['no-extension', 'no-extension'],
    ['a:b.m4a', 'a_b'],
    ['...', '___'],
  ])('%j → %j', (name, stem) => {
    expect(bundleStem(name)).toBe(stem);
  });

  it('bounds the stem so "<stem>-evidence-NN.zip.sha256" fits 255 bytes', () => {
    const stem = bundleStem(`${'录'.repeat(84)}.m4a`);
    expect(Buffer.byteLength(`${bagName(stem, 99)}.zip.sha256`)).toBeLessThanOrEqual(255);
    expect(truncateUtf8('录音', 4)).toBe('录');
  });

  it('numbers later bundles -2, -3', () => {
    expect([1, 2, 3].map((n) => bagName('x', n))).toEqual(['x-evidence', 'x-evidence-2', 'x-evidence-3']);
  });
});

describe('escapeOneLine', () => {
  it.each([
    ['录音 1.m4a', '录音 1.m4a'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['back\\slash', 'back\\\\slash'],
    ['nul\u0000 nel\u0085 ls\u2028', 'nul\\u0000 nel\\u0085 ls\\u2028'],
  ])('%j ↔ %j', (name, escaped) => {
    expect(escapeOneLine(name)).toBe(escaped);
    expect(escapeOneLine(name)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
    expect(unescapeOneLine(escaped)).toBe(name);
  });

  it('makes free text one line', () => {
    expect(oneLine('  张三\r\n李四\t王五  ')).toBe('张三 李四 王五');
  });
});
