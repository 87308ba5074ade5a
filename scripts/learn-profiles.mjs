// Rebuilds templates/profiles.json: writer profiles learned from the genuine recordings in ../shared/samples
// (grouped as WRITERS.tsv names them) and from files the bundled ffmpeg writes. Needs `npm run build` first.
// Files listed in HELD_OUT are kept out of learning: test/exemplar/library.test.ts checks they still match.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { learnProfile } from '../dist/exemplar/compare.js';
import { profileFile } from '../dist/exemplar/load.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const samples = resolve(root, process.env.SAMPLES ?? '../shared/samples');
const require = createRequire(import.meta.url);
const ffmpeg = process.env.FFMPEG_PATH || require('@ffmpeg-installer/ffmpeg').path;

const g = (name) => `genuine/${name}`;
const d = (name) => `device/${name}`;
const v = (name) => `voice/${name}`;

/** Genuine recordings per writer; the last of a writer's files marked `held` are kept out of learning. */
export const GROUPS = {
  'iOS Voice Memos': [
    g('75075__Prodigy-Infotech__New Recording.m4a'),
    g('Be-Tap-Code__AI4LI__record.m4a'),
    g('DAYING75__merryXmasfromDAYING__voice.m4a'),
    g('fenago__ai__New Recording.m4a'),
    g('hbknight__hbknight.github.io__11-22-22, 5:53 PM.m4a'),
    g('heyy507__happy-new-year-tanyaaaaaa__voice.m4a'),
    g('jeffreymcgarvey__Audio-Project-1__New Recording.m4a'),
    g('laineylolz__elevator-pitch__New Recording.m4a'),
    g('roshan4545__speech-recog__New Recording.m4a'),
    g('sonwh123__voice_analysis__voice.m4a'),
    g('zhangbaowen28__homework1__新录音.m4a'),
  ],
  'macOS Voice Memos': [
    g('ArthurZucker__SH_Propagation__New Recording.m4a'),
    g('PYHAO-2227__ChatPGT-Interview-Bot__New Recording.m4a'),
    g('Rohan5commit__AidAtlas-AI__New Recording.m4a'),
    g('im-fdavies__taskflow__New Recording.m4a'),
    g('kyljmeeski__scam-detector__resources__audio__granddad.m4a'),
  ],
  'Samsung Voice Recorder': [
    g('2pacasir__2pacasir__Voice 001.m4a'),
    g('AydenBravender__dementions__Voice 001.m4a'),
    g('Jrpeg__Webthings1__Voice 001.m4a'),
    g('UGBAEGO__ugbaego.com.ng__Voice 001.m4a'),
    g('ZakiMoradi__ICT_kuble_university__Voice 001.m4a'),
    g('akankshaa10__E-Healthcare-System__Voice 001.m4a'),
    g('aliyagilley__Game-Creation-Snake__Voice 001.m4a'),
    g('aritrakrbasu__diyabirthday__Voice 001.m4a'),
    g('soffift__Last__Voice 005.m4a'),
    g('teyim__music-app__Voice 001.m4a'),
    d('vvy2346__Speech-database__Voice 001.m4a'),
    d('vvy2346__Speech-database__Voice 002.m4a'),
  ],
  'Android MediaRecorder (AAC in MP4/3GP)': [
    g('Forked-Items__ThisSong-Backend__audio.3gp'),
    g('astroallan__NextU__audio.3gp'),
    g('Arccosnsx__Arccosnsx.github.io__新录音 2.m4a'),
    g('YandaoLab__EatLaofu__新录音 1.m4a'),
    g('hyggeee__myworks__新录音 1.m4a'),
    g('Nskoushik26276__voice-ir-system__New recording 1.m4a'),
    g('jyi32852__feminism__New recording 1.m4a'),
    g('olsenneslo__hint__Recording_1.m4a'),
    d('speculation1__friday-livekit-agent__test.amr'),
  ],
  'Android MediaRecorder (AMR in 3GP)': [
    g('x14130114__IOTDoorbell__audio.3gp'),
    d('sindresorhus__file-type__fixture.3gp'),
  ],
  'Raw AMR recorder (Android AMR_NB output, QQ/feature phones)': [
    d('xp12-mcmin__qqbot__test.amr'),
  ],
  'WeChat/QQ voice message (SILK v3)': [
    g('Pichuworks__Cattleya-the-Converter-Original__Binary & Test__wechat.amr'),
    g('jimanji__123__test.silk'),
    v('Lidure__astrbot_plugin_airi_voice__test.amr'),
  ],
  'Telegram voice note (Ogg/Opus)': [
    g('Dimokrat__voice-bot__voice.oga'),
    g('RympeR__voice_m_bot__voice.ogg'),
    g('daniOrtiz11__testBotSpeakToText__voice.oga'),
    g('karassad__Voice2task__voice.ogg'),
  ],
  'WhatsApp voice note (Ogg/Opus)': [
    g('Lekha-2005__keerthana__voice.opus'),
    g('My-soul-mate__Happy-birthday-Iman__voice.opus'),
  ],
  'Discord voice message (Ogg/Opus)': [
    g('DanGritter__RiTA-DiscordBot__voice-message.ogg'),
    g('SqueakyBeaver__TransCrab__voice-message.ogg'),
  ],
  'Browser MediaRecorder (Chrome, WebM/Opus)': [
    g('KASHVI-NAGPAL__Vocaly__recording.webm'),
    g('Mrinmayi03__CalmCompanion__voice.webm'),
    g('PYHAO-2227__ChatPGT-Interview-Bot__voice_message.wav'),
    g('orbin123__lingos-ai__backend__app__ai__stt___learner_audio__a3__a39196101f9bca97d9fec730-learner-1-1780589942165.webm'),
  ],
  'iMessage audio message (CAF/Opus)': [g('jbaker00__OCIsoundtotxt__Save to Voice Memos.caf')],
  'Zoom handheld recorder (BWF WAV)': [
    g('1JeffWho__diefichte__STE-003.wav'),
    g('marinezo__raash__ZOOM0001.WAV'),
  ],
  'ColorOS Recorder (MP3)': [
    g('abhinavsp0730__video-to-text-ap__Standard recording 1.mp3'),
    g('albertyen67__september__Standard recording 1.mp3'),
  ],
  'Windows Voice Recorder (Media Foundation MP4)': [
    g('CarryHJR__challenge2017__录音.m4a'),
    g('VinhTruong2001__language-file-generator__Recording.m4a'),
  ],
};

/** Genuine recordings kept out of learning, with the profile each must still match best. */
export const HELD_OUT = {
  [g('evanbnm__ProjetSSL__New Recording.m4a')]: 'iOS Voice Memos',
  [g('hbknight__hbknight.github.io__Sisyphos.m4a')]: 'iOS Voice Memos',
  [d('Borewit__music-metadata__Apple  voice memo.m4a')]: 'iOS Voice Memos',
  [g('jbaker00__OCIsoundtotxt__New Recording.m4a')]: 'macOS Voice Memos',
  [g('mil-maker__Milton__Voice 001.m4a')]: 'Samsung Voice Recorder',
  [g('AydenBravender__dementions__Q1.m4a')]: 'Samsung Voice Recorder',
  [d('vvy2346__Speech-database__Voice 003.m4a')]: 'Samsung Voice Recorder',
  [g('PiyushRaj-7699__Video-to-Audio__New recording 1.m4a')]: 'Android MediaRecorder (AAC in MP4/3GP)',
  [g('jujuwuwao__hailey-s-birthday__2025年12月11日 15点54分(3).m4a')]: 'Android MediaRecorder (AAC in MP4/3GP)',
  [d('speculation1__friday-livekit-agent__voice.amr')]: 'Android MediaRecorder (AMR in 3GP)',
  [v('BenzLeung__benz-amr-recorder__yuan.amr')]: 'Raw AMR recorder (Android AMR_NB output, QQ/feature phones)',
  [v('Lidure__astrbot_plugin_airi_voice__打卡啦摩托.silk')]: 'WeChat/QQ voice message (SILK v3)',
  [d('Mohamedtahaahmedtaha__Telegram-voice-to-text-__voice.ogg')]: 'Telegram voice note (Ogg/Opus)',
  [g('OMOTAYO-RICHARD__Assingment1__voice.opus')]: 'WhatsApp voice note (Ogg/Opus)',
  [g('coolio770__yourfriendiscalling__voice-message.ogg')]: 'Discord voice message (Ogg/Opus)',
  [g('seungyeonn-i__BabyHear-BackEnd__voice.webm')]: 'Browser MediaRecorder (Chrome, WebM/Opus)',
  [g('bebopschizoid__strudelsample__ZOOM0005.WAV')]: 'Zoom handheld recorder (BWF WAV)',
  [g('chiranth-ganapathy__AI-Fraud-detection__Standard recording 1.mp3')]: 'ColorOS Recorder (MP3)',
  [g('inviviotech__voice__voice.m4a')]: 'Windows Voice Recorder (Media Foundation MP4)',
};

const BITEXACT = ['-fflags', '+bitexact', '-flags:a', '+bitexact'];

/** What ffmpeg writes, per container: encodes and stream copies, with and without bit-exact flags. */
function ffmpegFiles(dir) {
  const speech = join(samples, g('hbknight__hbknight.github.io__Sisyphos.m4a'));
  const amrSource = join(samples, g('x14130114__IOTDoorbell__audio.3gp'));
  const run = (args, out) => {
    execFileSync(ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args, join(dir, out)]);
    return join(dir, out);
  };
  const enc = (ext, codecArgs) => [
    run(['-i', speech, '-t', '8', ...codecArgs], `enc.${ext}`),
    run(['-i', speech, '-t', '8', '-map_metadata', '-1', ...codecArgs, ...BITEXACT], `bitexact.${ext}`),
    run(['-i', speech, '-t', '8', '-ac', '1', '-ar', '16000', ...codecArgs], `mono16k.${ext}`),
  ];
  const fixture = (name) => join(root, 'fixtures/originals', name);
  return {
    'FFmpeg/Lavf (M4A/MP4)': [
      ...enc('m4a', ['-c:a', 'aac']),
      run(['-i', speech, '-c', 'copy'], 'copy.m4a'),
      run(['-i', speech, '-c', 'copy', '-movflags', '+faststart'], 'faststart.m4a'),
      fixture('rec-a.m4a'),
    ],
    'FFmpeg/Lavf (3GP)': [
      run(['-i', amrSource, '-c', 'copy'], 'copy.3gp'),
      run(['-i', speech, '-t', '8', '-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'], 'amr.3gp'),
      fixture('rec-a.3gp'),
    ],
    'FFmpeg/Lavf (MP3)': [
      ...enc('mp3', ['-c:a', 'libmp3lame']),
      run(['-i', join(samples, g('albertyen67__september__Standard recording 1.mp3')), '-c', 'copy'], 'copy.mp3'),
      fixture('rec-a.mp3'),
    ],
    'FFmpeg/Lavf (Ogg/Opus)': [
      ...enc('ogg', ['-c:a', 'libopus']),
      run(['-i', join(samples, g('Dimokrat__voice-bot__voice.oga')), '-c', 'copy'], 'copy.ogg'),
      fixture('rec-a.opus'),
    ],
    'FFmpeg/Lavf (WAV)': [...enc('wav', ['-c:a', 'pcm_s16le']), fixture('rec-a.wav')],
    'FFmpeg/Lavf (AMR)': [
      run(['-i', speech, '-t', '8', '-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'], 'enc.amr'),
      run(['-i', amrSource, '-c', 'copy'], 'copy.amr'),
      fixture('rec-a.amr'),
    ],
    'FFmpeg/Lavf (FLAC)': [...enc('flac', ['-c:a', 'flac']), fixture('rec-a.flac')],
    'FFmpeg/Lavf (AAC ADTS)': [...enc('aac', ['-c:a', 'aac', '-f', 'adts']), fixture('rec-a.aac')],
  };
}

async function main() {
  if (!existsSync(join(samples, 'genuine'))) throw new Error(`no samples at ${samples}`);
  const dir = mkdtempSync(join(tmpdir(), 'ae-profiles-'));
  try {
    const profiles = [];
    const groups = { ...GROUPS };
    for (const [name, paths] of Object.entries(ffmpegFiles(dir))) groups[name] = paths;
    for (const [name, paths] of Object.entries(groups)) {
      const files = [];
      for (const path of paths) {
        const file = await profileFile(path.startsWith('/') ? path : join(samples, path));
        // Files made here are not kept (and ffmpeg gives Ogg streams a random serial): no digest to keep.
        files.push(path.startsWith(dir) ? { ...file, name: `ffmpeg ${file.name} (made by this script)`, sha256: '' } : file);
      }
      profiles.push(learnProfile(name, files));
    }
    const table = {
      $comment:
        'Known writer profiles, learned by scripts/learn-profiles.mjs from the genuine recordings in ../shared/samples (WRITERS.tsv groups) and from files the bundled ffmpeg writes. Regenerate with: npm run build && node scripts/learn-profiles.mjs',
      heldOut: HELD_OUT,
      profiles,
    };
    writeFileSync(join(root, 'templates/profiles.json'), `${JSON.stringify(table, null, 1)}\n`);
    console.log(`${profiles.length} profiles written to templates/profiles.json`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
