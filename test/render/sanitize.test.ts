// Values from the file become one visible, bounded line of text.
import { describe, expect, it } from 'vitest';
import { clean, escapeHtml, toText } from '../../src/render/sanitize.js';

describe('clean', () => {
  it.each([
    [
      'bidi overrides and isolates',
      'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069',
      'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi\ufffd',
    ],
    ['control characters', 'a\u0000b\u0007c\u001b[0md\u007f\u0085', 'a\ufffdb\ufffdc\ufffd[0md\ufffd\ufffd'],
    ['line breaks', 'one\r\ntwo\tthree\u2028four', 'one two three four'],
    ['lone surrogates', 'x\ud800y\udc00z', 'x\ufffdy\ufffdz'],
    ['pairs kept', 'ok 🎙️ 录音', 'ok 🎙️ 录音'],
  ])('neutralises %s', (_what, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('shortens long values without splitting a character and says how much was left out', () => {
    const text = `${'录'.repeat(10)}🎙️${'A'.repeat(1_000_000)}`;
    const out = clean(text, 11, (n) => ` [+${n}]`);
    expect(out.startsWith(`${'录'.repeat(10)}\ud83c\udf99`)).toBe(true);
    const dropped = Number(/\[\+(\d+)\]$/.exec(out)?.[1]);
    expect(dropped).toBeGreaterThan(999_990);
  });
});

describe('toText', () => {
  it('prints structures as JSON and bytes by their count', () => {
    expect(toText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(toText(new Uint8Array(5))).toBe('[5 bytes]');
    expect(toText({ pic: new Uint8Array(3) })).toBe('{"pic":"[3 bytes]"}');
    expect(toText(undefined)).toBe('');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
