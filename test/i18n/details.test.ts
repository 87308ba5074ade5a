// English details (verify checks, error reasons, pack warnings) worded in Chinese, or quoted and labelled.
import { describe, expect, it } from 'vitest';
import { detailText, verifyStatus } from '../../src/i18n/details.js';

describe('detailText', () => {
  it.each([
    ['SHA-256 and SM3 differ from the sealed value', 'SHA-256 与 SM3 均与封存值不符，文件已被改动'],
    [
      'manifest-sha256.txt: SHA-256 differs for data/original/a.m4a; not listed: data/b',
      'data/original/a.m4a 的 SHA-256 与清单不符；未列入清单：data/b',
    ],
    ['directory', '这是一个文件夹'],
    ['unknown hash algorithm: crc', '未知的哈希算法“crc”（可用：sha256、sm3、sha512、md5）'],
    [
      'no playable copy of data/original/x.m4a was made: ffmpeg failed (1): Invalid data found',
      '没有为 data/original/x.m4a 制作播放副本：ffmpeg 运行失败（1，程序报错“Invalid data found”）',
    ],
    ['no playable copy of x was made: something new', '没有为 x 制作播放副本：“something new”'],
    [
      "x.zip.tsr (issued by CN=TSA at 2026-01-01T00:00:00Z): the zip's SHA-256 now differs from the value in it (abc); signature invalid (bad)",
      '时间戳 x.zip.tsr（CN=TSA 于 2026-01-01T00:00:00Z 签发）：当前的 SHA-256 与时间戳中的值（abc）不一致，盖时间戳之后被改动过；签名无效（程序报错“bad”）',
    ],
    ['x.tsr: cannot be used (not a token)', '时间戳 x.tsr 无法使用：“not a token”'],
    ['wav/pcm_s16le ≠ mp3/mp3', 'wav/pcm_s16le ≠ mp3/mp3'],
    ['ffprobe: Invalid data', 'ffprobe 报错“Invalid data”'],
    [
      'unsafe entries refused (nothing was extracted or written): "../x": parent-directory segment (..)',
      '拒绝了不安全的条目（未解压、未写入任何内容）："../x": parent-directory segment (..)',
    ],
    ['symbolic link', '符号链接'],
    ['bagit.txt is missing', '缺少 bagit.txt'],
    ['something nobody worded', '技术细节（英文原文）“something nobody worded”'],
    ['已经是中文的说明', '已经是中文的说明'],
  ])('%s', (english, chinese) => {
    expect(detailText(english, 'zh-CN')).toBe(chinese);
    expect(detailText(english, 'en')).toBe(english);
  });

  it('keeps the status word of sha256sum -c and says what it means', () => {
    expect(verifyStatus('CHANGED', 'zh-CN')).toBe('CHANGED（已改动）');
    expect(verifyStatus('OK', 'zh-CN')).toBe('OK');
    expect(verifyStatus('MISSING', 'en')).toBe('MISSING');
  });
});
