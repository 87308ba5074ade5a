// meta/README-verify.txt: every command that carries a name quotes it for its shell, so a hostile file name
// is only ever a name (issue 13, case 3). The POSIX lines are run in bash on such names.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { psQuote, renderReadme, shQuote } from '../../src/bundle/readme.js';
import { bagEntry } from '../hardening/support.js';
import { fixture } from '../helpers.js';
import { HAS_SHA256SUM, removeTempDirs, sha256, tempDir } from './support.js';

afterAll(removeTempDirs);

const HOSTILE = [
  '$(touch PWNED)',
  '`touch PWNED`',
  "it's; touch PWNED",
  'say "hi" && touch PWNED',
  "a'$(touch PWNED)'b",
  '-rf ; touch PWNED #',
  ['$', '{IFS}touch$', '{IFS}PWNED'].join(''),
  '录音 $HOME *',
];

const HAS_BASH = spawnSync('bash', ['-c', 'true']).status === 0;

async function readmeFor(stem: string): Promise<string> {
  return renderReadme({
    bag: `${stem}-evidence`,
    zip: `${stem}-evidence.zip`,
    originals: [`data/original/${stem}.m4a`],
    packedAt: '2026-12-04T10:00:00+08:00',
    tool: 'audio-evidence test',
  });
}

/** The command lines of the README meant for a POSIX shell (Linux and macOS). */
function posixLines(readme: string): string[] {
  const lines = readme.split('\n').map((line) => line.trim());
  const out: string[] = [];
  for (const line of lines) {
    const command = line.replace(/^(Linux|macOS):\s+/, '');
    if (/^(sha256sum|shasum|cd|bagit\.py|audio-evidence verify|openssl dgst -sm3 ')/.test(command))
      out.push(command.replace(/\s+[（(].*$/, ''));
  }
  return [...new Set(out)];
}

describe('shQuote / psQuote', () => {
  it.each([
    ['plain.zip', "'plain.zip'", "'plain.zip'"],
    ["it's", "'it'\\''s'", "'it''s'"],
    ['-x', "'./-x'", "'-x'"],
    ['a\u2019b', "'a\u2019b'", "'a\u2019\u2019b'"],
  ])('%s', (word, sh, ps) => {
    expect(shQuote(word)).toBe(sh);
    expect(psQuote(word)).toBe(ps);
  });
});

describe('README-verify on hostile names', () => {
  it('has no placeholder left and pastes no name into a cmd.exe line', async () => {
    for (const stem of HOSTILE) {
      const readme = await readmeFor(stem);
      expect(readme).not.toMatch(/\{\{|\}\}/);
      for (const line of readme.split('\n').filter((l) => /certutil/.test(l)))
        expect(line).not.toContain(stem);
      // Every PowerShell line names the file in single quotes (no $ or ` expansion).
      for (const line of readme.split('\n').filter((l) => /-LiteralPath '/.test(l)))
        expect(line).toContain(psQuote(`${stem}-evidence.zip`).slice(0, 8));
    }
  });

  it.skipIf(!HAS_BASH || !HAS_SHA256SUM)(
    'the Linux check passes in bash, and no POSIX line runs what a name says',
    async () => {
      for (const stem of HOSTILE) {
        const dir = tempDir('ae-readme-');
        const zip = `${stem}-evidence.zip`;
        const bytes = `zip of ${stem}`;
        writeFileSync(join(dir, zip), bytes);
        writeFileSync(join(dir, `${zip}.sha256`), `${sha256(bytes)}  ${zip}\n`);
        mkdirSync(join(dir, `${stem}-evidence`));
        const readme = await readmeFor(stem);
        const lines = posixLines(readme);
        const check = lines.find((line) => line.startsWith('sha256sum -c '));
        expect(check, readme).toBeDefined();
        const run = spawnSync('bash', ['-c', check!], { cwd: dir, encoding: 'utf8' });
        expect(run.status, `${stem}: ${check}\n${run.stderr}`).toBe(0);
        expect(run.stdout).toContain(': OK');
        const cd = lines.find((line) => line.startsWith('cd '))!;
        expect(spawnSync('bash', ['-c', `${cd} && pwd`], { cwd: dir, encoding: 'utf8' }).stdout.trim()).toBe(
          join(dir, `${stem}-evidence`),
        );
        // The other lines name tools this machine may not have; run them with those tools stubbed out.
        for (const line of lines)
          spawnSync('bash', ['-c', `shasum() { :; }; bagit.py() { :; }; audio-evidence() { :; }; ${line}`], {
            cwd: dir,
          });
        expect(existsSync(join(dir, 'PWNED')), stem).toBe(false);
        expect(existsSync(join(dir, `${stem}-evidence`, 'PWNED')), stem).toBe(false);
      }
    },
  );

  it.skipIf(!HAS_BASH || !HAS_SHA256SUM)(
    'end to end: the README packed with "$(touch PWNED).m4a" checks its own zip in bash',
    async () => {
      const dir = tempDir('ae-readme-');
      const source = join(dir, "$(touch PWNED) `touch PWNED` it's.amr");
      copyFileSync(fixture('originals/rec-a.amr'), source);
      const [bundle] = await pack([source], { out: join(dir, 'out') });
      const readme = await bagEntry(bundle!.path, 'meta/README-verify.txt');
      const check = posixLines(readme).find((line) => line.startsWith('sha256sum -c '))!;
      const run = spawnSync('bash', ['-c', check], { cwd: join(dir, 'out'), encoding: 'utf8' });
      expect(run.status, `${check}\n${run.stderr}`).toBe(0);
      expect(existsSync(join(dir, 'out', 'PWNED'))).toBe(false);
    },
  );
});
