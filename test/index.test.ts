// The library API as a user imports it: `import { inspect, pack, verify, hash } from 'audio-evidence'`,
// resolved through package.json "exports" to the built dist/index.js, in a separate Node process.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sha256, tempDir } from './bundle/support.js';
import { ensureBuilt } from './hardening/support.js';
import { fixture, ROOT } from './helpers.js';

afterAll(removeTempDirs);

type Api = typeof import('../src/index.js');

describe('library API', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = tempDir('ae-api-');
    mkdirSync(join(dir, 'case'));
    copyFileSync(fixture('originals/rec-a.m4a'), join(dir, 'case', '通话.m4a'));
    copyFileSync(fixture('originals/rec-a.amr'), join(dir, 'case', '语音.amr'));
  });

  it("works through the package name, the way `import … from 'audio-evidence'` does", () => {
    const script = `
      import { inspect, pack, verify, hash, EXIT } from 'audio-evidence';
      const dir = ${JSON.stringify(dir)};
      const inspected = await inspect(dir + '/case/通话.m4a');
      const digests = await hash(dir + '/case/语音.amr', { algorithms: ['sha256', 'md5'] });
      const [single] = await pack([dir + '/case/语音.amr'], { out: dir + '/out', lang: 'en' });
      const [combined] = await pack([dir + '/case'], { combine: 'case 1', zip: false, out: dir + '/out' });
      const report = await verify(single.path);
      const missing = await hash(dir + '/nope').catch((e) => ({ code: e.code, exitCode: e.exitCode }));
      console.log(JSON.stringify({
        verdict: inspected.summary.verdict, container: inspected.format.container,
        digests, single: single.path, combined: combined.path,
        items: combined.items.map((i) => i.bagPath), ok: report.ok, missing, exit: EXIT,
      }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      verdict: 'no-signs-found',
      container: 'mp4',
      single: join(dir, 'out', '语音-evidence.zip'),
      combined: join(dir, 'out', 'case 1-evidence'),
      items: ['data/original/01-语音.amr', 'data/original/02-通话.m4a'],
      ok: true,
      missing: { code: 'input-missing', exitCode: 2 },
      exit: { ok: 0, checkFailed: 1, usage: 2 },
    });
    const amr = fixture('originals/rec-a.amr');
    expect(out['digests']).toMatchObject({ size: 32038, digests: { sha256: sha256(readFileSync(amr)) } });
    expect(Object.keys((out['digests'] as { digests: object }).digests).sort()).toEqual(['md5', 'sha256']);
  });

  it('the built entry exports each function with the types of the source', async () => {
    const api = (await import(pathToFileURL(join(ROOT, 'dist/index.js')).href)) as Api;
    for (const name of [
      'inspect',
      'pack',
      'verify',
      'hash',
      'inspectMany',
      'packMany',
      'expandInputs',
    ] as const)
      expect(typeof api[name]).toBe('function');
    const result = await api.hash(fixture('originals/rec-a.wav'));
    expect(Object.keys(result.digests).sort()).toEqual(['sha256', 'sm3']);
    let last = 0;
    await api.hash(fixture('originals/rec-a.wav'), {
      onProgress: (fraction) => {
        last = fraction;
      },
    });
    expect(last).toBe(1);
  });
});
