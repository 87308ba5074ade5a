// The report's player: an <audio> on the access copy, "▶ 2 s before" controls at every finding and
// transcript row, a clickable waveform, one script allowed by its hash; checked in the HTML, and in
// headless Chromium when one is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pack } from '../../src/bundle/pack.js';
import { renderDocuments } from '../../src/render/documents.js';
import { transcriptPlan } from '../../src/render/model.js';
import { LEAD_SECONDS, relativeUrl, seekTime } from '../../src/render/player.js';
import type { InspectResult } from '../../src/types.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { fixture } from '../helpers.js';
import { context, EDIT_FINDINGS, edited } from './helpers.js';

afterAll(removeTempDirs);

const ACCESS = { path: 'data/access/rec-a.wav', command: 'ffmpeg -i file:data/original/rec-a.m4a x.wav' };

async function reportWith(
  result: InspectResult,
  access = true,
  lang: 'en' | 'zh-CN' = 'en',
): Promise<string> {
  const ctx = context([result], { lang });
  if (access) ctx.items[0]!.access = ACCESS;
  const docs = await renderDocuments(ctx);
  const html = docs.find((d) => d.path === 'data/report/report.html')?.content;
  if (typeof html !== 'string') throw new Error('no report');
  return html;
}

const seeks = (html: string): number[] =>
  [...html.matchAll(/<button type="button" class="seek" data-seek="([^"]+)"/g)].map((m) => Number(m[1]));

describe('the player in the report', () => {
  it('plays the access copy by a relative path, with the transcript as its captions track', async () => {
    const html = await reportWith(await edited());
    expect(html).toContain(
      '<audio id="player" class="player" controls preload="metadata" src="../access/rec-a.wav">',
    );
    expect(html).toContain('<track kind="captions" src="../transcript/transcript.vtt"');
    // Says what it plays: not the original, made by this command, for listening only.
    expect(html).toContain('not the original evidence');
    expect(html).toContain(`<code class="wrap">${ACCESS.command}</code>`);
    expect(relativeUrl('data/access/录音 #1?.wav')).toBe(`../access/${encodeURIComponent('录音 #1?.wav')}`);
  });

  it('puts a "▶ 2 s before" control at every placed finding, at its time minus 2 s', async () => {
    const html = await reportWith(await edited());
    const findings = /<h2>4\.[\s\S]*?<h2>5\./.exec(html)?.[0] ?? '';
    const placed = EDIT_FINDINGS.filter((f) => f.at !== undefined).map((f) => f.at!);
    expect(placed.length).toBeGreaterThan(0);
    expect(seeks(findings).sort((a, b) => a - b)).toEqual(
      placed.map((at) => Math.max(0, at - LEAD_SECONDS)).sort((a, b) => a - b),
    );
    expect(seeks(findings)).toContain(12.3 - 2);
    expect(seekTime(1.2)).toBe(0);
    expect(findings).toContain('▶ 2 s before');
  });

  it('lists every transcript row with its control, and the waveform can be clicked', async () => {
    const result = await edited();
    const html = await reportWith(result, true, 'zh-CN');
    const rows = /<details class="rows">[\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    const plan = transcriptPlan(result, []);
    const starts = transcriptPlan(
      result,
      result.findings.map((finding, i) => ({ number: i + 1, finding })),
    ).rows.map((row) => Math.round(Math.max(0, row.start - 2) * 1000) / 1000);
    expect(plan.rows.length).toBeGreaterThan(0);
    expect(seeks(rows)).toEqual(starts);
    expect(rows).toContain('▶ 提前 2 秒');
    expect(html).toMatch(
      /<div class="wave" data-duration="[\d.]+" data-width="1000" data-left="14" data-right="986"><svg/,
    );
  });

  it('allows exactly its one script by hash, media only from the bundle, nothing from the network', async () => {
    const html = await reportWith(await edited());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(csp).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src 'self' file:; script-src 'sha256-${hash}'`,
    );
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
  });

  it('without an access copy: no player, no script, the old policy', async () => {
    const html = await reportWith(await edited(), false);
    expect(html).not.toMatch(/<audio|<script|data-seek/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});

/** Chromium on this machine, if any (CHROMIUM_PATH wins); CI may have none. */
const CHROMIUM = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string =>
    path !== undefined &&
    existsSync(path) &&
    spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0,
);

/**
 * Added to a copy of the report (and to its policy by hash, the shipped policy otherwise kept): once the
 * player has the copy's length, click the first finding's control, then the waveform's middle, and
 * write what the player's position became into the page.
 */
const PROBE = `(function () {
  var p = document.getElementById('player');
  var out = {};
  function done() { document.body.setAttribute('data-result', JSON.stringify(out)); }
  function go() {
    out.duration = p.duration;
    var b = document.querySelector('td.time button.seek');
    out.want = Number(b.getAttribute('data-seek'));
    b.click();
    out.afterControl = p.currentTime;
    var svg = document.querySelector('.wave svg');
    var r = svg.getBoundingClientRect();
    var x = r.left + (r.width * (14 + (986 - 14) * 0.5)) / 1000;
    svg.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: r.top + r.height / 2 }));
    out.afterWave = p.currentTime;
    done();
  }
  if (p.readyState >= 1) go();
  else {
    p.addEventListener('loadedmetadata', go);
    p.addEventListener('error', function () { out.error = String(p.error && p.error.code); done(); });
  }
})();`;

describe('the player in headless Chromium', () => {
  it.skipIf(!CHROMIUM)(
    'loads the access copy under the report policy and seeks to a finding and a waveform click (skipped when no Chromium is installed: set CHROMIUM_PATH or apt-get install chromium)',
    async () => {
      const dir = tempDir('ae-player-');
      copyFileSync(fixture('originals/rec-c.m4a'), join(dir, 'rec-c.m4a'));
      const [bundle] = await pack([join(dir, 'rec-c.m4a')], { zip: false, lang: 'en' });
      const report = join(bundle!.path, 'data/report/report.html');
      const html = readFileSync(report, 'utf8');
      const hash = createHash('sha256').update(PROBE).digest('base64');
      const probed = html
        .replace("script-src 'sha256-", `script-src 'sha256-${hash}' 'sha256-`)
        .replace('</body>', `<script>${PROBE}</script></body>`);
      const page = join(bundle!.path, 'data/report/probe.html');
      writeFileSync(page, probed);
      const run = spawnSync(
        CHROMIUM!,
        [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--mute-audio',
          '--autoplay-policy=no-user-gesture-required',
          '--virtual-time-budget=5000',
          '--dump-dom',
          pathToFileURL(page).href,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      const attr = /data-result="([^"]*)"/.exec(run.stdout)?.[1];
      expect(attr, run.stderr.slice(-2000)).toBeDefined();
      const result = JSON.parse(attr!.replaceAll('&quot;', '"')) as {
        duration: number;
        want: number;
        afterControl: number;
        afterWave: number;
        error?: string;
      };
      expect(result.error).toBeUndefined();
      expect(Math.abs(result.duration - 20)).toBeLessThan(0.05);
      // rec-c's finding is at 10.85 s: its control plays from 8.85 s.
      expect(result.want).toBe(8.85);
      expect(Math.abs(result.afterControl - result.want)).toBeLessThan(0.05);
      expect(Math.abs(result.afterWave - result.duration / 2)).toBeLessThan(0.1);
    },
  );
});
