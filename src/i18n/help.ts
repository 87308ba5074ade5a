// --help in the user's language: descriptions of commands, arguments and options (their names stay English).
import { type Argument, type Command, Help, type Option } from 'commander';
import type { Lang } from './lang.js';

/**
 * Chinese descriptions. Commands by their path ("" is the program, "profile learn" a subcommand); options by
 * "<path> <long flag>", else by the long flag alone; arguments by "<path> <name>". A new command or option
 * without an entry keeps its English description (and test/i18n/zh-output.test.ts fails).
 */
export const HELP_ZH = {
  commands: {
    '': '把原始录音制作成可提交法院的电子证据包。',
    inspect: '计算录音的哈希值，并查找剪切、编辑的迹象（可指定文件或文件夹）',
    hash: '以 sha256sum 格式输出摘要值（每个文件只读取一次）',
    pack: '为每段录音制作一个证据包（BagIt 格式，压缩为 zip），或为一个案件制作一个证据包',
    timestamp: '为证据包向时间戳服务机构申请 RFC 3161 可信时间戳，并保存在其旁边（<zip>.tsr）',
    verify: '逐字节核验证据包（zip 或文件夹）',
    profile: '由样本录音生成的写入程序特征',
    'profile learn': '由样本录音学习写入程序特征并写成 JSON 文件；--exemplar 可使用该文件',
    help: '显示指定命令的帮助',
  } as Record<string, string>,
  arguments: {
    'inspect files': '要检查的录音或文件夹（会在文件夹中查找录音）',
    'hash files': '要计算摘要值的文件',
    'pack files': '要打包的录音或文件夹（会在文件夹中查找录音）',
    'timestamp bundles': '证据包 zip 或证据包文件夹',
    'verify path': '证据包 zip 或证据包文件夹',
    'profile learn files': '样本录音、存放样本录音的文件夹，或特征 JSON 文件',
    'help command': '命令名称',
  } as Record<string, string>,
  options: {
    '--version': '显示版本号',
    '--help': '显示帮助',
    '--json': '输出 JSON 数据',
    'inspect --json': '输出约定格式的 JSON（多个文件时为数组）',
    '--lang': '"zh-CN"（中文）或 "en"（英文）（默认：按系统语言环境）',
    '--fail-on': '有发现达到此级别时以退出码 1 结束',
    '--jobs': '同时处理的录音数（默认：CPU 核数）',
    '--log': '同时把输出的全部内容追加写入此文件',
    '--signatures': '额外的写入程序特征表（JSON）',
    '--timezone': '显示时间所用的时区，例如 Asia/Shanghai（默认：环境变量 TZ 或系统时区）',
    'pack --timezone': '文书中时间所用的时区，例如 Asia/Shanghai（默认：环境变量 TZ 或系统时区）',
    '--quirks': '额外的写入程序已知写入方式表（JSON，格式同 templates/writer-quirks.json）',
    '--exemplar': '用所称应用录制的样本录音：文件、文件夹或特征文件 PROFILE.json',
    '--algo': '以逗号分隔的算法：sha256,sm3,sha512,md5',
    '--out': '输出文件夹（默认：各输入文件所在的文件夹）',
    'profile learn --out': '把特征写入此文件（默认：直接输出）',
    '--zip': '输出证据包文件夹，而不是 zip 压缩包',
    '--combine': '把全部录音放进一个名为 NAME-evidence 的案件证据包',
    '--case': '案号（写入 External-Identifier）',
    '--title': '证据名称或说明；"序号=名称" 或 "文件名=名称" 只用于其中一段录音（可重复）',
    '--submitter': '提交人（写入 Contact-Name）',
    '--proves': '证明对象：这段录音要证明什么；"序号=内容" 只用于其中一段录音（可重复）',
    '--court': '证据目录所呈交的法院（致：…人民法院）',
    '--party-role': '提交人在案件中的身份：原告、被告、第三人…',
    '--list-verdict': '同时把本工具的检查结论写进证据目录的备注栏（默认不写）',
    '--case-file': '从 JSON 或 CSV 文件读取案件信息和每段录音的名称、证明对象',
    '--recorded-by': '录音人',
    '--place': '录音地点',
    '--device': '录音设备及应用，例如 "iPhone 13, 语音备忘录"',
    '--speaker': '录音中出现的人，例如 "张三:原告"（可重复）',
    '--tsa': '打包后向此时间戳服务机构申请 RFC 3161 时间戳（可重复）',
    'timestamp --tsa': '时间戳服务机构的网址（可重复；见 README）',
    '--hash': '时间戳所盖的杂凑算法：sha256、sm3 或 sha512',
    '--timeout': '等待时间戳服务机构应答的秒数，超时放弃（默认 30）',
    '--request-only': '只写出请求文件 <zip>.tsq 供在别处盖章，并说明做法',
    '--add-response': '核对并登记为已保存的 .tsq 取得的应答文件',
    '--original': '同时把此文件与证据包中的原始录音比对',
    '--tsa-ca': '可信的时间戳服务机构 CA 证书（PEM 文件，可重复）',
    '--expect': '压缩包或原始录音应有的 SHA-256 或 SM3 值（例如证据目录中记载的值）',
    '--name': '写入程序的名称，例如 "iPhone 12, 语音备忘录, iOS 17.5"',
  } as Record<string, string>,
  /** Words inside <…> and […] of usage lines and option terms. */
  placeholders: {
    options: '选项',
    command: '命令',
    files: '文件',
    file: '文件',
    path: '路径',
    bundles: '证据包',
    dir: '文件夹',
    name: '名称',
    role: '身份',
    text: '文字',
    id: '编号',
    lang: '语言',
    severity: '级别',
    n: '数量',
    iana: '时区',
    list: '算法列表',
    url: '网址',
    algo: '算法',
    seconds: '秒数',
    hex: '十六进制值',
  } as Record<string, string>,
  titles: {
    'Usage:': '用法：',
    'Arguments:': '参数：',
    'Options:': '选项：',
    'Commands:': '命令：',
    'Global Options:': '全局选项：',
  } as Record<string, string>,
};

/** A command's path below the program: "" for the program itself, "profile learn" for a subcommand. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** "<files...>", "[options]", "<name[:role]>" with the words inside the brackets in Chinese. */
function placeholderText(text: string): string {
  return text.replace(/[<[][^\s>\]]*[\]>]/g, (part) =>
    part.replace(/[a-z]+/g, (word) => HELP_ZH.placeholders[word] ?? word),
  );
}

/** Terminal cells: CJK characters and full-width punctuation take two. */
function cells(text: string): number {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  let width = 0;
  for (const ch of plain)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}

function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(`可选值：${option.argChoices.map((c) => `"${c}"`).join('、')}`);
  const value = option.defaultValue as unknown;
  const shown = option.required || option.optional;
  if (shown && value !== undefined && !(Array.isArray(value) && value.length === 0))
    extra.push(`默认：${option.defaultValueDescription ?? String(value)}`);
  return extra.length > 0 ? `${option.description}（${extra.join('；')}）` : option.description;
}

const ZH_HELP: Partial<Help> = {
  styleTitle: (title: string) => HELP_ZH.titles[title] ?? title,
  commandUsage(this: Help, cmd: Command) {
    return placeholderText(Help.prototype.commandUsage.call(this, cmd));
  },
  subcommandTerm(this: Help, cmd: Command) {
    return placeholderText(Help.prototype.subcommandTerm.call(this, cmd));
  },
  optionTerm: (option: Option) => placeholderText(option.flags),
  argumentTerm: (argument: Argument) => HELP_ZH.placeholders[argument.name()] ?? argument.name(),
  optionDescription,
  argumentDescription: (argument: Argument) => argument.description,
  displayWidth: cells,
};

/** Words every command's help (its own and its subcommands') in `lang`; English leaves commander's own. */
export function localizeHelp(program: Command, lang: Lang): void {
  if (lang === 'en') return;
  const visit = (cmd: Command): void => {
    const path = pathOf(cmd);
    const description = HELP_ZH.commands[path];
    if (description !== undefined) cmd.description(description);
    for (const option of cmd.options) {
      const long = option.long ?? option.flags;
      // --no-zip is stored under its positive name in some places: look both up.
      option.description =
        HELP_ZH.options[`${path} ${long}`] ??
        HELP_ZH.options[long] ??
        HELP_ZH.options[long.replace(/^--no-/, '--')] ??
        option.description;
    }
    for (const argument of cmd.registeredArguments)
      argument.description = HELP_ZH.arguments[`${path} ${argument.name()}`] ?? argument.description;
    cmd.helpOption('-h, --help', HELP_ZH.options['--help']);
    if (cmd.commands.length > 0) cmd.helpCommand('help [command]', HELP_ZH.commands['help']);
    cmd.configureHelp(ZH_HELP);
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

/** A name commander quotes in a parse error ("files", "--name <text>") as --help shows it in `lang`. */
export function helpTerm(term: string, lang: Lang): string {
  if (lang === 'en') return term;
  return /^[a-z]+$/.test(term) ? (HELP_ZH.placeholders[term] ?? term) : placeholderText(term);
}
