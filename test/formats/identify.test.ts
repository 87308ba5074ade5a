import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionMatches, identify, SNIFF_BYTES } from '../../src/formats/identify.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';

const head = (path: string): Buffer => readFileSync(path).subarray(0, SNIFF_BYTES);

describe('identify from bytes', () => {
  it.each([
    ['originals/rec-a.m4a', 'mp4'],
    ['originals/rec-a.3gp', '3gp'],
    ['originals/rec-a.mp3', 'mp3'],
    ['originals/rec-a.wav', 'wav'],
    ['originals/rec-a.amr', 'amr'],
    ['originals/rec-a.opus', 'ogg'],
    ['originals/rec-a.flac', 'flac'],
    ['originals/rec-a.aac', 'aac'],
    ['originals/rec-a.silk', 'silk'],
    ['originals/rec-a-plain.silk', 'silk'],
  ])('%s is %s', (name, container) => {
    expect(identify(head(fixture(name))).container).toBe(container);
  });

  it('tells the Ogg codec, the AMR flavour and the Tencent SILK byte', () => {
    expect(identify(head(fixture('originals/rec-a.opus'))).codecHint).toBe('opus');
    expect(identify(head(fixture('originals/rec-a.amr'))).codecHint).toBe('nb');
    expect(identify(Buffer.from('#!AMR-WB\n\x00')).codecHint).toBe('wb');
    expect(identify(head(fixture('originals/rec-a.silk'))).offset).toBe(1);
    expect(identify(head(fixture('originals/rec-a-plain.silk'))).offset).toBe(0);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['not-audio', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj')],
    ['not-audio', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
    ['unknown', Buffer.from('hello, this is plain text and not audio at all')],
    ['asf', Buffer.from('3026b2758e66cf11a6d900aa0062ce6c0000', 'hex')],
    ['aiff', Buffer.from('FORM\x00\x00\x00\x10AIFFCOMM', 'latin1')],
    ['matroska', Buffer.from('1a45dfa39f4282886d6174726f736b61', 'hex')],
  ])('recognises %s', (container, bytes) => {
    expect(identify(bytes).container).toBe(container);
  });

  it('finds MP3 frames after an ID3v2 tag', () => {
    const mp3 = readFileSync(fixture('originals/rec-a.mp3'));
    const tag = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x01\x00', 'latin1'), Buffer.alloc(128)]);
    const result = identify(Buffer.concat([tag, mp3]).subarray(0, SNIFF_BYTES));
    expect(result.container).toBe('mp3');
    expect(result.offset).toBeGreaterThanOrEqual(138);
  });

  it('judges the extension against the content', () => {
    const m4a = identify(head(fixture('originals/rec-a.m4a')));
    expect(extensionMatches('x.m4a', m4a)).toEqual({ extension: 'm4a', matches: true });
    expect(extensionMatches('x.mp3', m4a)).toEqual({ extension: 'mp3', matches: false });
    expect(extensionMatches('noext', m4a)).toEqual({ extension: '', matches: true });
    // Android recorders write 3GP named .amr; WeChat SILK often travels as .amr too.
    expect(extensionMatches('voice.amr', identify(head(fixture('originals/rec-a.3gp')))).matches).toBe(true);
  });
});

describe.skipIf(!HAS_SAMPLES)('identify the shared samples', () => {
  const expected: Record<string, string> = {
    'Borewit__music-metadata__Apple  voice memo.m4a': 'mp4',
    'Mohamedtahaahmedtaha__Telegram-voice-to-text-__voice.ogg': 'ogg',
    'sindresorhus__file-type__fixture.3gp': '3gp',
    'xp12-mcmin__qqbot__test.amr': 'amr',
    'Jika-1366__Input_with_Whisper__recording.mp3': 'wav',
    'Lidure__astrbot_plugin_airi_voice__test.amr': 'silk',
    'Lidure__astrbot_plugin_airi_voice__打卡啦摩托.silk': 'silk',
    'vvy2346__Speech-database__AUD-20190619-WA0021.mp3': 'mp3',
    'BenzLeung__benz-amr-recorder__yuan.amr': 'amr',
  };
  const files = [...samples('device'), ...samples('voice')];
  it.each(files.filter((f) => basename(f) in expected).map((f) => [basename(f), f]))('%s', (name, path) => {
    expect(identify(head(path)).container).toBe(expected[name]);
  });

  it('identifies every device and voice sample as audio', () => {
    for (const path of files)
      expect(['unknown', 'not-audio', 'empty'], path).not.toContain(identify(head(path)).container);
  });
});
