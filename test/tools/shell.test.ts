// shellQuote: every name becomes one POSIX sh word that sh reads back unchanged.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/tools/shell.js';

describe('shellQuote', () => {
  it.each([
    ['plain.zip', "'plain.zip'"],
    ["it's.zip", "'it'\\''s.zip'"],
    ['a b$c`d`"e"\\f', '\'a b$c`d`"e"\\f\''],
  ])('%j → %j', (input, quoted) => {
    expect(shellQuote(input)).toBe(quoted);
  });

  it.each(["it's", 'x $(touch /tmp/nope) `y`', '-n', '录音 2024 张三.zip', "''\n'"])(
    'sh reads %j back as one unchanged word',
    (name) => {
      const run = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(name)}`], { encoding: 'utf8' });
      expect(run.stdout).toBe(name);
    },
  );
});
