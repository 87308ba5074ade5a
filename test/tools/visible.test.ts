// Terminal-safe text: names shown with their control characters escaped, sha256sum lines, printable JSON.
import { describe, expect, it } from 'vitest';
import { checksumLine, jsonText, visible } from '../../src/tools/visible.js';

const HEX = 'ab'.repeat(32);

describe('visible', () => {
  it('escapes C0, DEL, C1, line separators and bidi controls; leaves Chinese and spaces', () => {
    expect(visible('录音 1\u001b[31m\r\u0000\u009b\u2028\u202e.m4a')).toBe(
      '录音 1\\u001b[31m\\u000d\\u0000\\u009b\\u2028\\u202e.m4a',
    );
  });
});

describe('checksumLine', () => {
  it.each([
    ['plain.m4a', `${HEX}  plain.m4a`],
    ['a\\b.m4a', `\\${HEX}  a\\\\b.m4a`],
    ['two\nlines', `\\${HEX}  two\\nlines`],
    ['cr\rhere', `\\${HEX}  cr\\rhere`],
  ])('%j → GNU sha256sum form', (name, line) => {
    expect(checksumLine(HEX, name)).toBe(line);
  });

  it('on a terminal also escapes the other control characters', () => {
    expect(checksumLine(HEX, 'x\u001b[2Jy', true)).toBe(`${HEX}  x\\u001b[2Jy`);
    expect(checksumLine(HEX, 'x\u001b[2Jy', false)).toBe(`${HEX}  x\u001b[2Jy`);
  });
});

describe('jsonText', () => {
  it('is the same JSON value, with nothing a terminal would act on left raw', () => {
    const value = { name: 'a\u009b31mb\u202ec\u0007', n: 1 };
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
