// The timestamp command's wording: every failure reason has a message in both languages; bad options
// are bad usage (exit 2) before anything is sent.
import { describe, expect, it } from 'vitest';
import { TimestampError, type TimestampReason } from '../../src/errors.js';
import { hasMessage } from '../../src/i18n/messages.js';
import { describeStampError } from '../../src/timestamp/cli.js';
import { cli, fixture } from '../helpers.js';

const REASONS: TimestampReason[] = [
  'bad-url',
  'unreachable',
  'timeout',
  'http-status',
  'too-large',
  'not-a-response',
  'not-granted',
  'no-token',
  'algorithm-mismatch',
  'imprint-mismatch',
  'nonce-mismatch',
  'signature-invalid',
  'no-request',
  'not-a-bundle',
  'bundle-not-intact',
];

describe('timestamp wording', () => {
  it.each(REASONS)('%s has a message', (reason) => {
    expect(hasMessage(`timestamp.reason.${reason}`)).toBe(true);
    const error = new TimestampError(reason, 'http://tsa.test/', 'detail', { params: { status: 500 } });
    expect(describeStampError(error, 'en')).toContain('tsa.test');
    expect(describeStampError(error, 'zh-CN')).toMatch(/时间戳/);
  });

  it('bad --hash, --timeout, and no --tsa: exit 2', async () => {
    const zip = fixture('originals/rec-a.m4a');
    expect((await cli(['timestamp', zip, '--tsa', 'http://127.0.0.1:9/', '--hash', 'md5'])).stderr).toContain(
      '--hash takes sha256, sm3 or sha512',
    );
    expect((await cli(['timestamp', zip, '--tsa', 'http://127.0.0.1:9/', '--timeout', 'soon'])).code).toBe(2);
    const none = await cli(['timestamp', zip], { LANG: 'zh_CN.UTF-8' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--tsa');
  });

  it('a file that is not a bundle is refused without asking a TSA', async () => {
    const run = await cli(['timestamp', fixture('originals'), '--tsa', 'http://127.0.0.1:9/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No timestamp for');
    expect(run.stderr).toContain('not an evidence bundle');
  });
});
