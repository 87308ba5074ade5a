// The wrappers this machine cannot run (Windows .cmd, macOS droplet) and the launchers, checked as
// text: syntax where a tool exists, line ends, quoting of dropped paths, both languages for every message.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../bundle/support.js';
import { ROOT } from '../helpers.js';

const wrapper = (name: string) => join(ROOT, 'wrappers', name);
const text = (name: string) => readFileSync(wrapper(name), 'utf8');

/** Whether position `index` of `line` is inside a double-quoted stretch. */
const quotedAt = (line: string, index: number): boolean =>
  (line.slice(0, index).match(/"/g) ?? []).length % 2 === 1;

describe('audio-evidence-drop.cmd (Windows)', () => {
  const bytes = readFileSync(wrapper('audio-evidence-drop.cmd'));
  const source = bytes.toString('utf8');
  const lines = source.split('\r\n');

  it('is UTF-8 without a BOM, with CRLF line ends only (cmd.exe misreads labels and goto otherwise)', () => {
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(Buffer.from(source, 'utf8').equals(bytes)).toBe(true);
    expect(source.endsWith('\r\n')).toBe(true);
    expect(source.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(readFileSync(join(ROOT, '.gitattributes'), 'utf8')).toMatch(/^\*\.cmd\s+text\s+eol=crlf$/m);
  });

  it('switches to the UTF-8 code page before any Chinese text', () => {
    const chcp = lines.findIndex((line) => /^chcp 65001\b/.test(line));
    const firstChinese = lines.findIndex((line) => /[\u4e00-\u9fff]/.test(line));
    expect(chcp).toBeGreaterThan(-1);
    expect(firstChinese).toBeGreaterThan(chcp);
  });

  it('quotes every use of a dropped path (%~1, %~f1, %~dp1 …) and of the variables holding one', () => {
    let uses = 0;
    for (const line of lines) {
      if (/^\s*rem\b/i.test(line)) continue;
      for (const match of line.matchAll(/%~[a-z]*\d|%AE_(?:INPUT|LOG|PARENT|BIN|HERE)%/g)) {
        uses++;
        expect(quotedAt(line, match.index), `unquoted ${match[0]} in: ${line}`).toBe(true);
      }
    }
    expect(uses).toBeGreaterThan(10);
    // Delayed expansion stays off, so "!" in a name is not eaten; only :say turns it on to print safely.
    expect(source).toContain('setlocal EnableExtensions DisableDelayedExpansion');
    expect(source).toMatch(/:say\r\nsetlocal EnableDelayedExpansion\r\n/);
    expect(source).toContain('pack --log "%AE_LOG%" -- "%AE_INPUT%"');
  });

  it('has every message in English and Chinese, and waits for a key on every way out', () => {
    const english = lines.filter((line) => /^(if .* )?set "AE_EN=/.test(line));
    const chinese = lines.filter((line) => /^(if .* )?set "AE_ZH_TEXT=/.test(line));
    expect(english.length).toBeGreaterThan(5);
    expect(chinese).toHaveLength(english.length);
    for (const line of chinese) expect(line).toMatch(/[\u4e00-\u9fff]/);
    for (const [i, line] of lines.entries()) {
      if (!/^exit \/b/.test(line) || line === 'exit /b 0') continue;
      expect(lines[i - 1], `no pause before line ${i + 1}`).toBe('pause');
    }
  });
});

describe('macOS and Linux launchers', () => {
  it.each(['audio-evidence-drop.sh', 'audio-evidence-drop.command'])('%s: valid bash, executable', (name) => {
    const check = spawnSync('bash', ['-n', wrapper(name)], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(statSync(wrapper(name)).mode & 0o111).not.toBe(0);
    expect(text(name)).not.toContain('\r');
  });

  it('audio-evidence-drop.sh: every message in both languages with the same values in it', () => {
    const source = text('audio-evidence-drop.sh').replace(/\\\n\s*/g, '');
    const calls = [...source.matchAll(/\bsay "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"/g)];
    expect(calls.length).toBeGreaterThan(8);
    // $msg_en / $msg_zh hold a pair set just before; they count as the same value.
    const vars = (s: string) =>
      [...s.matchAll(/\$\{?(\w+)/g)].map((m) => (m[1] ?? '').replace(/^msg_(en|zh)$/, 'msg')).sort();
    for (const [, en, zh] of calls) {
      expect(en!.trim()).not.toBe('');
      expect(zh).toMatch(/[\u4e00-\u9fff]|^\$msg_zh$/);
      expect(vars(zh!)).toEqual(vars(en!));
    }
    const pairs = [...source.matchAll(/msg_en="[^"]+"\n\s*msg_zh="([^"]+)"/g)];
    expect(pairs).toHaveLength(3);
  });

  it('the droplet passes absolute quoted paths to the shell wrapper beside it, in Terminal', () => {
    const source = text('audio-evidence-droplet.applescript');
    expect(source).toMatch(/^on open droppedItems$/m);
    expect(source).toContain('quoted form of POSIX path of anItem');
    expect(source).toContain('/audio-evidence-drop.sh');
    expect(source).toMatch(/tell application "Terminal"/);
    expect(source).toMatch(/^on run$/m);
    expect(source).toMatch(/[\u4e00-\u9fff]/);
  });

  it.skipIf(!hasTool('osacompile', ['-l']))('the droplet compiles', () => {
    const result = spawnSync('osacompile', [
      '-o',
      '/dev/null',
      wrapper('audio-evidence-droplet.applescript'),
    ]);
    expect(result.status).toBe(0);
  });

  it('the .desktop launcher runs the wrapper in a terminal with the dropped files', () => {
    const source = text('audio-evidence.desktop');
    expect(source.split('\n')[0]).toBe('[Desktop Entry]');
    expect(source).toMatch(/^Type=Application$/m);
    expect(source).toMatch(/^Exec=\S*\/audio-evidence-drop\.sh %F$/m);
    expect(source).toMatch(/^Terminal=true$/m);
    expect(source).toMatch(/^Name\[zh_CN\]=.*[\u4e00-\u9fff]/m);
    expect(source).toMatch(/^MimeType=.*inode\/directory;/m);
  });

  it.skipIf(!hasTool('desktop-file-validate', ['--help']))('desktop-file-validate accepts it', () => {
    const result = spawnSync('desktop-file-validate', [wrapper('audio-evidence.desktop')], {
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).not.toMatch(/error/i);
  });
});
