// A forger's rebuild for tests: change the original inside a bag folder, then recompute every digest that
// mentions it (manifests, SM3 sums, bag-info.txt, evidence.json, reports), the tag manifest, the zip and
// its .sha256. Internal consistency cannot tell the result from a genuine bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bagEntries, sha256, sm3, walk, writeRawZip } from '../bundle/support.js';

function rewriteManifest(bag: string, manifest: string, digest: (data: Buffer) => string): void {
  const text = readFileSync(join(bag, manifest), 'utf8');
  const lines = text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const path = line.slice(line.indexOf('  ') + 2);
      return `${digest(readFileSync(join(bag, path)))}  ${path}`;
    });
  writeFileSync(join(bag, manifest), `${lines.join('\n')}\n`);
}

/**
 * Flips a byte of `original` (a path inside the bag) and re-seals the bag in place; writes `zip` and
 * `zip.sha256` from it when `zip` is given (the zip's top folder is `top`).
 */
export function rehashBundle(
  bag: string,
  original: string,
  options: { zip?: string; top?: string } = {},
): void {
  const path = join(bag, original);
  const bytes = readFileSync(path);
  const before = { sha256: sha256(bytes), sm3: sm3(bytes) };
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
  writeFileSync(path, bytes);
  const after = { sha256: sha256(bytes), sm3: sm3(bytes) };
  for (const file of walk(bag)) {
    if (file === original) continue;
    const text = readFileSync(join(bag, file)).toString('latin1');
    const replaced = text.replaceAll(before.sha256, after.sha256).replaceAll(before.sm3, after.sm3);
    if (replaced !== text) writeFileSync(join(bag, file), Buffer.from(replaced, 'latin1'));
  }
  rewriteManifest(bag, 'manifest-sha256.txt', sha256);
  rewriteManifest(bag, 'meta/sm3sums.txt', sm3);
  rewriteManifest(bag, 'tagmanifest-sha256.txt', sha256);
  if (options.zip) {
    writeRawZip(options.zip, bagEntries(bag, options.top ?? 'bag'));
    const name = options.zip.slice(options.zip.lastIndexOf('/') + 1);
    writeFileSync(`${options.zip}.sha256`, `${sha256(readFileSync(options.zip))}  ${name}\n`);
  }
}
