// What a difference in each profile field means, in plain words (zh-CN and en), for findings and the report.
import type { Lang } from '../i18n/lang.js';

interface Meaning {
  en: string;
  'zh-CN': string;
}

/** Fields that name a program's version: a difference alone is an update of the same app, not a re-save. */
export const VERSION_FIELDS: ReadonlySet<string> = new Set(['writer.softwareVersions']);

const HEADER: Meaning = {
  en: 'the container header is laid out differently: a different program (or a re-save) wrote it',
  'zh-CN': '容器头部的写法不同：由其他程序写入（或经过另存）',
};
const CODEC: Meaning = {
  en: 'the audio was encoded with other settings: re-encoding, or another app or recording setting',
  'zh-CN': '音频的编码参数不同：经过重新编码，或使用了其他应用或录音设置',
};
const TAGS: Meaning = {
  en: 'other metadata fields are present: tags were added or removed when the file was written again',
  'zh-CN': '元数据字段不同：文件重新写入时增加或删除了标签',
};

/** Exact fields first, then the longest matching prefix. */
const MEANINGS: Record<string, Meaning> = {
  container: {
    en: 'a different file format: the exemplar app does not write this kind of file',
    'zh-CN': '文件格式不同：样本录音所用的应用不写这种格式',
  },
  'codec.name': {
    en: 'the audio is in another codec: it was re-encoded, or another app wrote it',
    'zh-CN': '音频编码格式不同：经过重新编码，或由其他应用写入',
  },
  'codec.': CODEC,
  'stream.tagKeys': TAGS,
  'format.name': {
    en: 'ffprobe identifies another container format',
    'zh-CN': 'ffprobe 识别出的容器格式不同',
  },
  'format.tagKeys': TAGS,
  'writer.software': {
    en: 'another program names itself in the file (encoder or writer string): it was written or re-saved by that program',
    'zh-CN': '文件中署名的写入程序（编码器或软件名称）不同：文件由该程序写入或另存',
  },
  'writer.softwareVersions': {
    en: 'the same app, another version (e.g. after an update): not by itself a sign of editing',
    'zh-CN': '同一应用的不同版本（例如系统或应用更新后）：本身不是剪辑迹象',
  },
  'mp4.ftyp.': {
    en: 'the file-type header (ftyp brands/version) differs: the MP4 was written by another program',
    'zh-CN': '文件类型头（ftyp 品牌/版本）不同：该 MP4 由其他程序写入',
  },
  'mp4.atoms': {
    en: 'the atom tree (which boxes, in which order) differs: the MP4 was assembled by another program',
    'zh-CN': '原子（box）结构及其顺序不同：该 MP4 由其他程序组装',
  },
  'mp4.mvhd.timescale': HEADER,
  'mp4.mvhd.timesSet': {
    en: 'the movie header creation time is set in one and zero in the other: typical of a re-save with a tool',
    'zh-CN': '影片头的创建时间一方有、一方为零：常见于用工具另存',
  },
  'mp4.tracks': {
    en: 'another set of tracks: tracks were added or removed',
    'zh-CN': '轨道组成不同：增加或删除了轨道',
  },
  'mp4.track.handlerName': {
    en: 'the track handler name differs: each muxer writes its own name here',
    'zh-CN': '轨道处理程序名称不同：每种封装程序在此写入自己的名称',
  },
  'mp4.track.': HEADER,
  'mp4.stsd.': CODEC,
  'mp4.esds.': CODEC,
  'mp4.damr.vendor': {
    en: 'the AMR decoder configuration names another vendor (FFMP = FFmpeg)',
    'zh-CN': 'AMR 解码配置中的厂商代码不同（FFMP 表示 FFmpeg）',
  },
  'mp4.stsz.sizes': HEADER,
  'mp4.elst.': {
    en: 'the edit list differs: another muxer, or an edit list added when the file was cut or re-saved',
    'zh-CN': '编辑列表不同：由其他封装程序写入，或剪切/另存时加入了编辑列表',
  },
  'mp4.stts.frameTicks': CODEC,
  'mp4.mdat.': {
    en: 'the media data is placed differently (position, count or header form): the file was written again',
    'zh-CN': '媒体数据（mdat）的位置、数量或头部形式不同：文件被重新写入',
  },
  'mp4.iTunSMPB': {
    en: 'the encoder delay tag (iTunSMPB) is present in one and missing in the other',
    'zh-CN': '编码延迟标签（iTunSMPB）一方有、一方无',
  },
  'mp4.metadataKeys': TAGS,
  'mp4.deviceKeys': TAGS,
  'mp4.xmp': {
    en: 'XMP metadata (written by editing software such as Adobe tools) is present in one and not the other',
    'zh-CN': 'XMP 元数据（编辑软件如 Adobe 会写入）一方有、一方无',
  },
  'mp3.id3v2': TAGS,
  'mp3.id3v2.': TAGS,
  'mp3.tailTags': TAGS,
  'mp3.lame.': {
    en: 'the LAME/Info tag differs: the MP3 was encoded by another encoder or with other settings',
    'zh-CN': 'LAME/Info 标签不同：该 MP3 由其他编码器或以其他参数编码',
  },
  'mp3.lameTag': {
    en: 'the LAME/Info tag differs: the MP3 was encoded by another encoder or with other settings',
    'zh-CN': 'LAME/Info 标签不同：该 MP3 由其他编码器或以其他参数编码',
  },
  'mp3.infoFrame': {
    en: 'the Xing/Info header frame differs: another encoder wrote the MP3',
    'zh-CN': 'Xing/Info 头帧不同：该 MP3 由其他编码器写入',
  },
  'mp3.infoFrame.': {
    en: 'the Xing/Info header frame differs: another encoder wrote the MP3',
    'zh-CN': 'Xing/Info 头帧不同：该 MP3 由其他编码器写入',
  },
  'mp3.': CODEC,
  'wav.chunks': {
    en: 'the WAVE chunks (which, in which order) differ: the file was written by another program',
    'zh-CN': 'WAVE 数据块（种类及顺序）不同：文件由其他程序写入',
  },
  'wav.dataStart': {
    en: 'the audio data starts at another offset: the header was written by another program',
    'zh-CN': '音频数据起始位置不同：文件头由其他程序写入',
  },
  'wav.infoKeys': TAGS,
  'wav.bext.': {
    en: 'the broadcast-WAVE (bext) header differs: another recorder or program wrote it',
    'zh-CN': '广播 WAV（bext）信息不同：由其他录音设备或程序写入',
  },
  'wav.fmt.': CODEC,
  'wav.form': HEADER,
  'ogg.vendor': {
    en: 'the Ogg vendor string names another encoder library: the audio was encoded by another program',
    'zh-CN': 'Ogg 厂商字符串所署名的编码库不同：音频由其他程序编码',
  },
  'ogg.commentKeys': TAGS,
  'ogg.commentBytes': {
    en: 'the comment header has another size (some apps pad it to a fixed size): it was written again',
    'zh-CN': '注释头大小不同（部分应用会填充到固定大小）：该头部被重新写入',
  },
  'ogg.': {
    en: 'the Ogg pages or stream header are laid out differently (packets per page, frame length, header pages): another muxer wrote the file',
    'zh-CN': 'Ogg 页面或流头的排列不同（每页包数、帧长、头部页）：由其他封装程序写入',
  },
  'amr.': CODEC,
  'flac.vendor': {
    en: 'the FLAC vendor string names another encoder',
    'zh-CN': 'FLAC 厂商字符串所署名的编码器不同',
  },
  'flac.commentKeys': TAGS,
  'flac.': CODEC,
  'aac.': CODEC,
  'silk.': CODEC,
};

/** The plain meaning of a difference in `field`, in `lang`. */
export function fieldMeaning(field: string, lang: Lang): string {
  const exact = MEANINGS[field];
  if (exact) return exact[lang];
  let best: string | undefined;
  for (const key of Object.keys(MEANINGS))
    if (key.endsWith('.') && field.startsWith(key) && (!best || key.length > best.length)) best = key;
  const meaning = best ? MEANINGS[best] : undefined;
  return meaning ? meaning[lang] : lang === 'zh-CN' ? '结构字段不同' : 'a structure field differs';
}
