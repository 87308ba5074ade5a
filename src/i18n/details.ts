// English details (of verify's checks, of errors; kept as they are in --json) in the reader's language.
import type { Lang } from './lang.js';

/**
 * Chinese wording of a detail, one '; '-separated part at a time: a regex over the English part and its
 * wording with the regex's named groups as {placeholders}. A part no pattern knows is shown as the quoted
 * English original, labelled as such, so nothing the examiner needs is lost.
 */
const ZH: ReadonlyArray<readonly [RegExp, string]> = [
  [/^SHA-256 and SM3 differ from the sealed value$/, 'SHA-256 与 SM3 均与封存值不符，文件已被改动'],
  [/^(?<algo>SHA-256|SM3) differs from the sealed value$/, '{algo} 与封存值不符，文件已被改动'],
  [/^not in any manifest$/, '不在任何清单中'],
  [/^(?<algo>SHA-256|SM3) differs for (?<names>.+)$/, '{names} 的 {algo} 与清单不符'],
  [/^missing: (?<names>.+)$/, '缺失：{names}'],
  [/^not listed: (?<names>.+)$/, '未列入清单：{names}'],
  [/^malformed line\(s\) (?<lines>.+)$/, '格式错误的行：{lines}'],
  [/^line (?<n>\d+): (?<path>.+) is listed twice$/, '第 {n} 行：{path} 重复列出'],
  [/^line (?<n>\d+): (?<path>.+) does not belong in (?<file>.+)$/, '第 {n} 行：{path} 不应列在 {file} 中'],
  [/^(?<file>\S+) is not covered$/, '{file} 未被覆盖'],
  [/^Evidence-SHA256 of (?<path>.+) differs from the manifest$/, '{path} 的 Evidence-SHA256 与清单不符'],
  [/^Evidence-SM3 of (?<path>.+) differs from (?<file>.+)$/, '{path} 的 Evidence-SM3 与 {file} 不符'],
  [/^digests of (?<path>.+) differ from the manifests$/, '{path} 的哈希值与清单不符'],
  [
    /^Payload-Oxum (?<declared>\S+) declared, payload is (?<actual>\S+) \(bytes\.files\)$/,
    'Payload-Oxum 声明为 {declared}，实际数据为 {actual}（字节数.文件数）',
  ],
  [/^(?<file>\S+) has no Payload-Oxum$/, '{file} 中没有 Payload-Oxum'],
  [
    /^the zip's SHA-256 (?<actual>\S+) differs from (?<declared>\S+) in (?<file>.+)$/,
    '压缩包的 SHA-256 {actual} 与 {file} 中的 {declared} 不符',
  ],
  [/^(?<file>\S+) is not a sha256sum line$/, '{file} 不是 sha256sum 格式的行'],
  [
    /^(?<given>.+) has neither the SHA-256 nor the SM3 sealed for any original at packing time \(SHA-256 (?<sha256>\S+), SM3 (?<sm3>\S+)\)$/,
    '{given} 的 SHA-256 与 SM3 都不是打包时为任何原始录音封存的值（其 SHA-256 为 {sha256}，SM3 为 {sm3}）',
  ],
  [
    /^no digests of an original are sealed in this bundle to compare (?<given>.+) with$/,
    '本证据包中没有封存的原始录音哈希值，无法与 {given} 比对',
  ],
  [
    /^no SHA-256 or SM3 of the (?:zip|tag manifest) or of a sealed original equals (?<value>\S+)$/,
    '压缩包（或标签文件清单）和证据包中的原始录音的 SHA-256、SM3 都不等于 {value}',
  ],
  [/^(?<file>\S+) is missing$/, '缺少 {file}'],
  [/^(?<file>\S+) starts with a byte-order mark$/, '{file} 以字节顺序标记（BOM）开头'],
  [/^(?<file>\S+) is not the two BagIt declaration lines$/, '{file} 不是两行 BagIt 声明'],
  [/^(?<file>\S+) is not valid JSON: (?<error>.+)$/s, '{file} 不是有效的 JSON（程序报错“{error}”）'],
  [/^(?<file>\S+) lists no items$/, '{file} 中没有列出任何项目'],
  // A bundle's entries that were refused or could not be read (file lines and the entries check).
  [
    /^unsafe entries refused \(nothing was extracted or written\): (?<list>.+)$/s,
    '拒绝了不安全的条目（未解压、未写入任何内容）：{list}',
  ],
  [/^entries that could not be checked: (?<list>.+)$/s, '无法检查的条目：{list}'],
  [/^symbolic link$/, '符号链接'],
  [/^special file \(not a regular file\)$/, '特殊文件（不是普通文件）'],
  [/^name is not UTF-8$/, '文件名不是 UTF-8 编码'],
  [/^outside the bag folder$/, '位于证据包文件夹之外'],
  [/^local header names another file$/, 'zip 本地文件头记录的是另一个文件名'],
  [/^unreadable: (?<error>.+)$/s, '无法读取（程序报错“{error}”）'],
  [/^empty name$/, '名称为空'],
  [/^backslash in the name$/, '名称中有反斜杠'],
  [/^drive letter$/, '名称以盘符开头'],
  [/^absolute path$/, '绝对路径'],
  [/^control character in the name$/, '名称中有控制字符'],
  [/^parent-directory segment \(\.\.\)$/, '路径中有上级目录（..）'],
  [/^empty or "\." path segment$/, '路径中有空的或“.”段'],
  // Why an input or a bundle cannot be used (the {detail} of an error message).
  [/^directory$/, '这是一个文件夹'],
  [/^not a regular file$/, '不是普通文件'],
  [/^broken symbolic link$/, '符号链接指向的文件不存在'],
  [/^the file disappeared$/, '文件消失了'],
  [/^replaced by another file$/, '被另一个文件替换'],
  [/^size (?<from>\d+) → (?<to>\d+) bytes$/, '大小从 {from} 字节变为 {to} 字节'],
  [/^read (?<read>\d+) of (?<size>\d+) bytes$/, '只读到 {size} 字节中的 {read} 字节'],
  [/^modified (?<change>.+)$/, '修改时间改变（{change}）'],
  [
    /^status changed (?<change>.+?) \(.*\)$/,
    '文件状态时间改变（{change}；文件被原地改写，或其时间、权限被重设）',
  ],
  [/^not a readable zip: (?<error>.+)$/s, '不是可读取的 zip 压缩包（程序报错“{error}”）'],
  [/^damaged central directory: (?<error>.+)$/s, 'zip 压缩包的目录已损坏（程序报错“{error}”）'],
  [
    /^no bagit\.txt or manifest inside: not an evidence bundle$/,
    '压缩包中没有 bagit.txt 或清单文件，不是证据包',
  ],
  [
    /^no bagit\.txt or manifest in this folder: not an evidence bundle$/,
    '文件夹中没有 bagit.txt 或清单文件，不是证据包',
  ],
  [/^neither a zip nor a folder$/, '既不是 zip 压缩包，也不是文件夹'],
  [/^unknown hash algorithm: (?<algo>.+)$/, '未知的哈希算法“{algo}”（可用：sha256、sm3、sha512、md5）'],
  [/^no file to pack$/, '没有要打包的文件'],
  // Why an exemplar cannot serve as a reference.
  [/^not a file$/, '不是文件'],
  [/^unreadable$/, '无法读取'],
  [/^not valid JSON$/, '不是有效的 JSON'],
  [/^unexpected shape$/, '内容结构不符合要求'],
  [/^no exemplar given$/, '没有给出样本录音'],
  [/^no audio stream$/, '没有音频流'],
  [/^damaged structure$/, '文件结构已损坏'],
  [/^ffprobe: (?<error>.+)$/s, 'ffprobe 报错“{error}”'],
  [/^(?<kinds>\S+(?: ≠ \S+)+)$/, '{kinds}'],
  [/^unrecognised data$/, '无法识别的数据'],
  [/^empty file$/, '空文件'],
  [/^(?<kind>PDF|PNG|JPEG|ZIP) (?:document|image|archive)$/, '{kind} 文件'],
  // What pack could not make besides the bundle itself ({reason} and {why} are worded in turn).
  [/^no playable copy of (?<path>.+?) was made: (?<reason>.+)$/s, '没有为 {path} 制作播放副本：{reason}'],
  [/^ffmpeg timed out$/, 'ffmpeg 运行超时'],
  [/^ffmpeg failed \((?<code>[^)]*)\): (?<error>.*)$/s, 'ffmpeg 运行失败（{code}，程序报错“{error}”）'],
  [
    /^the editable forms could not be written beside the bundle: (?<error>.+)$/s,
    '无法在证据包旁写入可编辑的表格（程序报错“{error}”）',
  ],
  [/^documents could not be rendered: (?<error>.+)$/s, '无法生成文书（程序报错“{error}”）'],
  [/^document (?<path>".+") skipped: (?<why>.+)$/s, '文书 {path} 已跳过：{why}'],
];

/** Details whose parts are joined by '; ' inside a frame: matched whole, before a detail is split. */
const WHOLE: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^(?<file>\S+) \(issued by (?<tsa>.+?) at (?<time>\S+)\): (?<problems>.+)$/s,
    '时间戳 {file}（{tsa} 于 {time} 签发）：{problems}',
  ],
  [/^(?<file>\S+): cannot be used \((?<reason>.+)\)$/s, '时间戳 {file} 无法使用：{reason}'],
];

/** A timestamp's problems (one part each of a WHOLE detail). */
const TIMESTAMP: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^(?:the zip's|\S+'s) (?<algo>\S+) now differs from the value in it \((?<imprint>\S+)\)$/,
    '当前的 {algo} 与时间戳中的值（{imprint}）不一致，盖时间戳之后被改动过',
  ],
  [/^signature invalid \((?<error>.+)\)$/s, '签名无效（程序报错“{error}”）'],
  [
    /^TSA certificate chain not trusted \((?<error>.+)\)$/s,
    '时间戳服务机构证书链不可信（程序报错“{error}”）',
  ],
  [
    /^its hash algorithm (?<oid>\S+) is not one this tool can recompute$/,
    '其杂凑算法 {oid} 本工具无法重新计算',
  ],
];

/** Groups that hold another detail, worded in turn (a path or a program's error text is never worded). */
const NESTED = new Set(['reason', 'why', 'problems']);

/** "<file>: rest": the check's Chinese name already names the file, so only the rest is worded. */
const FILE_PREFIX = /^[\w./-]+\.(?:txt|json): (?<rest>.+)$/s;

function part(text: string, table: ReadonlyArray<readonly [RegExp, string]> = ZH): string | undefined {
  for (const [re, template] of table) {
    const m = re.exec(text);
    if (!m) continue;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = m.groups?.[name] ?? '';
      return NESTED.has(name) ? nested(value) : value;
    });
  }
  return undefined;
}

/** A detail inside another: each '; '-separated part worded, or quoted as it is. */
function nested(value: string): string {
  return value
    .split('; ')
    .map((p) => part(p) ?? part(p, TIMESTAMP) ?? `“${p}”`)
    .join('；');
}

/**
 * `detail` for people reading `lang`: English as it is; Chinese worded, or quoted and labelled as English. A
 * detail that is already Chinese (a message worded for the user) is kept.
 */
export function detailText(detail: string, lang: Lang): string {
  if (lang === 'en' || detail === '' || /\p{Script=Han}/u.test(detail)) return detail;
  const whole = part(detail, WHOLE);
  if (whole !== undefined) return whole;
  const rest = FILE_PREFIX.exec(detail)?.groups?.['rest'] ?? detail;
  return rest
    .split('; ')
    .map((p) => part(p) ?? `技术细节（英文原文）“${p}”`)
    .join('；');
}

/** The status word of a file line ("CHANGED", as `sha256sum -c` says it) with its meaning in `lang`. */
export function verifyStatus(status: string, lang: Lang): string {
  if (lang === 'en') return status;
  const meaning: Record<string, string> = { CHANGED: '已改动', MISSING: '缺失', EXTRA: '多出' };
  return meaning[status] === undefined ? status : `${status}（${meaning[status]}）`;
}
