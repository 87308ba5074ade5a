// Every message a user sees on the terminal, in zh-CN and en, filled from named parameters.
import type { Lang } from './lang.js';

/** The message table: every key in both languages (exported so a test can check the pairs). */
export const MESSAGES = {
  'input-missing': { en: 'File not found: {path}', 'zh-CN': '找不到文件：{path}' },
  'input-empty': {
    en: 'An empty path was given; name a file or folder.',
    'zh-CN': '给出的路径为空，请指定文件或文件夹。',
  },
  'input-not-file': { en: 'Not a file ({detail}): {path}', 'zh-CN': '不是文件（{detail}）：{path}' },
  'input-unreadable': {
    en: 'Cannot read the file (permission denied?): {path}',
    'zh-CN': '无法读取该文件（权限不足？）：{path}',
  },
  'input-changed': {
    en: 'The original changed while it was being packed ({detail}); nothing was written: {path}',
    'zh-CN': '打包过程中原始文件发生了变化（{detail}），未生成任何输出：{path}',
  },
  'ffmpeg-missing': {
    en: '{name} is missing or does not run (tried: {tried}). Run "npm ci" again, or set {env} to a working {name} binary.',
    'zh-CN':
      '找不到可用的 {name}（已尝试：{tried}）。请重新运行 "npm ci"，或将环境变量 {env} 设为可用的 {name} 程序路径。',
  },
  usage: { en: '{detail}', 'zh-CN': '{detail}' },
  'output-exists': { en: 'Output already exists: {path}', 'zh-CN': '输出已存在：{path}' },
  'output-failed': { en: 'Could not write the bundle: {detail}', 'zh-CN': '无法写入证据包：{detail}' },
  'output-no-space': {
    en: 'Not enough space in {path} to write the bundle; nothing was left behind. Free some space or choose another folder with --out.',
    'zh-CN':
      '{path} 所在磁盘空间不足，无法写入证据包；未留下任何文件。请清理空间，或用 --out 指定其他文件夹。',
  },
  'output-unwritable': {
    en: 'Cannot write to the output folder (read-only, or permission denied): {path}',
    'zh-CN': '无法写入输出文件夹（只读或权限不足）：{path}',
  },
  'output-not-folder': {
    en: 'The output path is not a folder (a file is in the way): {path}',
    'zh-CN': '输出路径不是文件夹（该位置已有同名文件）：{path}',
  },
  'output-in-bag': {
    en: 'The output folder {path} is inside the evidence bundle {bag}; a new bundle there would break it. Choose a folder outside it with --out.',
    'zh-CN':
      '输出文件夹 {path} 位于证据包 {bag} 之内，在其中写入新证据包会破坏原证据包。请用 --out 指定证据包以外的文件夹。',
  },
  'bundle-unsafe': {
    en: 'Unsafe bundle, refused ({detail}): {path}',
    'zh-CN': '证据包包含不安全的条目，已拒绝（{detail}）：{path}',
  },
  'bundle-unreadable': {
    en: 'Cannot read the bundle ({detail}): {path}',
    'zh-CN': '无法读取证据包（{detail}）：{path}',
  },
  interrupted: { en: 'Interrupted; temporary files removed.', 'zh-CN': '已中断，临时文件已删除。' },
  'check-failed': { en: '{detail}', 'zh-CN': '{detail}' },
  'exemplar-missing': { en: 'Exemplar not found: {path}', 'zh-CN': '找不到样本录音：{path}' },
  'exemplar-not-audio': {
    en: 'The exemplar is not an audio recording ({detail}): {path}',
    'zh-CN': '样本不是音频录音（{detail}）：{path}',
  },
  'exemplar-damaged': {
    en: 'The exemplar recording is damaged and cannot serve as a reference ({detail}): {path}',
    'zh-CN': '样本录音已损坏，不能作为比对参照（{detail}）：{path}',
  },
  'exemplar-mixed': {
    en: 'The exemplars were not written the same way ({detail}); give exemplars of one app and format: {path}',
    'zh-CN': '各样本录音的格式或编码不一致（{detail}）；请提供同一应用、同一格式的样本：{path}',
  },
  'exemplar-empty': {
    en: 'No audio recording in the exemplar folder: {path}',
    'zh-CN': '样本文件夹中没有音频录音：{path}',
  },
  'exemplar-bad-profile': {
    en: 'Not a writer profile made by "profile learn" ({detail}): {path}',
    'zh-CN': '不是由 "profile learn" 生成的写入程序特征文件（{detail}）：{path}',
  },
  'unexpected-error': {
    en: 'Unexpected error: {detail}. Nothing was changed in the original.',
    'zh-CN': '意外错误：{detail}。原始文件未被改动。',
  },
  'verdict.no-signs-found': {
    en: 'No signs of editing found by these checks',
    'zh-CN': '本工具各项检查未发现剪辑迹象',
  },
  'verdict.review-recommended': {
    en: 'Review recommended: signs an examiner should look at',
    'zh-CN': '建议复核：存在需要鉴定人员关注的迹象',
  },
  'verdict.signs-of-editing': {
    en: 'Signs of editing or damage found in the file structure',
    'zh-CN': '文件结构中发现剪辑或损坏迹象',
  },
  'label.file': { en: 'File', 'zh-CN': '文件' },
  'label.format': { en: 'Format', 'zh-CN': '格式' },
  'label.codec': { en: 'Codec', 'zh-CN': '编码' },
  'label.duration': { en: 'Duration', 'zh-CN': '时长' },
  'label.size': { en: 'Size', 'zh-CN': '大小' },
  'label.modified': { en: 'Modified', 'zh-CN': '修改时间' },
  'label.created': {
    en: 'Creation time (as the file records it; start or end of the recording not known)',
    'zh-CN': '文件记载的创建时间（是录制开始还是结束，未能确定）',
  },
  'label.created-start': {
    en: 'Recording started (as the file records it)',
    'zh-CN': '录制开始时间（据文件记载）',
  },
  'label.created-end': {
    en: 'Recording ended (as the file records it)',
    'zh-CN': '录制结束时间（据文件记载）',
  },
  'label.encoder': { en: 'Writer', 'zh-CN': '写入程序' },
  'label.device': { en: 'Device', 'zh-CN': '设备' },
  'label.verdict': { en: 'Result', 'zh-CN': '结论' },
  'label.findings': { en: 'Findings', 'zh-CN': '发现' },
  'label.checks': { en: 'Checks', 'zh-CN': '检查项' },
  'label.none': { en: 'none', 'zh-CN': '无' },
  'label.unknown': { en: 'unknown', 'zh-CN': '未知' },
  'label.bytes': { en: 'bytes', 'zh-CN': '字节' },
  'label.channels': { en: '{count} ch', 'zh-CN': '{count} 个声道' },
  'check.consistent': { en: 'consistent', 'zh-CN': '一致' },
  'check.inconsistent': { en: 'inconsistent', 'zh-CN': '不一致' },
  'check.not-assessable': { en: 'not assessable', 'zh-CN': '无法评估' },
  'severity.critical': { en: 'CRITICAL', 'zh-CN': '严重' },
  'severity.warning': { en: 'WARNING', 'zh-CN': '警告' },
  'severity.info': { en: 'info', 'zh-CN': '提示' },
  'note.never-authentic': {
    en: 'This tool reports what its checks found; it does not certify a recording as authentic.',
    'zh-CN': '本工具仅报告各项检查的结果，不对录音的真实性作出认定。',
  },
  'pack.zip-sha256': { en: 'SHA-256 of the zip', 'zh-CN': '压缩包 SHA-256' },
  'pack.sidecar': { en: 'Checksum file', 'zh-CN': '校验文件' },
  'pack.original': { en: 'Original', 'zh-CN': '原始录音' },
  'pack.renamed': {
    en: '{preferred} already exists and was left alone; this bundle is {path}',
    'zh-CN': '{preferred} 已存在，未作改动；本次证据包为 {path}',
  },
  'pack.renamed-busy': {
    en: 'Another run is writing {preferred} at this moment; this bundle is {path}',
    'zh-CN': '另一个打包任务正在写入 {preferred}；本次证据包为 {path}',
  },
  'pack.outside-bag': {
    en: '{input} lies inside the evidence bundle {bag}; the new bundle was written beside it, not into it: {path}',
    'zh-CN': '{input} 位于证据包 {bag} 之内；新证据包已写在其旁边而非其中：{path}',
  },
  'pack.shared-stem': {
    en: 'Several recordings in this batch are named "{stem}"; each bundle keeps its file extension in its name: {path}',
    'zh-CN': '本批次中有多个录音都名为“{stem}”，因此各证据包名称保留了文件扩展名：{path}',
  },
  'pack.stale-removed': {
    en: 'Removed an unfinished temporary folder of an interrupted run: {path}',
    'zh-CN': '已删除此前中断的打包留下的临时文件夹：{path}',
  },
  'pack.name-changed': {
    en: 'The name "{name}" has characters that break paths on some systems; stored as {bagPath} (the exact name is recorded in bag-info.txt and meta/evidence.json)',
    'zh-CN':
      '文件名“{name}”含有在部分系统中无法使用的字符，证据包中保存为 {bagPath}（原文件名已原样记录在 bag-info.txt 和 meta/evidence.json 中）',
  },
  'pack.warning': { en: 'Note: {detail}', 'zh-CN': '注意：{detail}' },
  'pack.access': {
    en: 'Playable copy (not the original, for listening only)',
    'zh-CN': '播放副本（不是原始录音，仅供试听）',
  },
  'pack.forms': { en: 'Forms to fill in', 'zh-CN': '供填写的表格' },
  'pack.forms-note': {
    en: "The transcript and evidence list sealed inside the bundle are the blank originals; fill in the copies in {path} (they carry the bundle's SHA-256; editing them does not touch the seal).",
    'zh-CN':
      '证据包内密封的文字稿和证据目录是空白原件；请在 {path} 中的副本上填写（副本载有证据包的 SHA-256，编辑它们不影响证据包的封存）。',
  },
  'pack.forms-note-declaration': {
    en: "Print, fill in and sign the recorder's declaration in the forms folder (declaration.docx).",
    'zh-CN': '请打印表格文件夹中的录音人声明（declaration.docx），填写后签名。',
  },
  'pack.keep-original': {
    en: 'Important: keep the recording on the phone (or recorder) that made it and do not delete it. Bring that phone to court: it is the original carrier, and the court may ask to check the recording on it.',
    'zh-CN':
      '重要提示：请把录音继续保存在录制它的手机（或录音设备）里，不要删除。开庭时请带上这部手机——它是录音的原始载体，法院可能要求当庭核对。',
  },
  'pack.speaker-empty': {
    en: '--speaker needs a name, as NAME or NAME:ROLE (e.g. --speaker "Zhang San:plaintiff"); got "{value}".',
    'zh-CN':
      '--speaker 需要写明姓名，格式为 姓名 或 姓名:身份（例如 --speaker "张三:原告"）；收到的是“{value}”。',
  },
  'pack.timezone-invalid': {
    en: 'Unknown time zone "{value}": give an IANA name such as Asia/Shanghai, Europe/Berlin or UTC.',
    'zh-CN': '无法识别的时区“{value}”：请使用 IANA 时区名，例如 Asia/Shanghai、Europe/Berlin 或 UTC。',
  },
  'verify.check.bagit': { en: 'bagit.txt', 'zh-CN': 'BagIt 声明文件（bagit.txt）' },
  'verify.check.payload-manifest': { en: 'payload manifest', 'zh-CN': '数据文件清单（manifest-sha256.txt）' },
  'verify.check.tag-manifest': { en: 'tag manifest', 'zh-CN': '标签文件清单（tagmanifest-sha256.txt）' },
  'verify.check.sm3sums': { en: 'SM3 sums', 'zh-CN': 'SM3 校验值（meta/sm3sums.txt）' },
  'verify.check.payload-oxum': { en: 'Payload-Oxum', 'zh-CN': '数据总量（Payload-Oxum）' },
  'verify.check.bag-info': { en: 'bag-info.txt', 'zh-CN': '证据包信息（bag-info.txt）中的哈希值' },
  'verify.check.evidence-record': {
    en: 'evidence record',
    'zh-CN': '保管记录（meta/evidence.json）中的哈希值',
  },
  'verify.check.zip-entries': { en: 'zip entries', 'zh-CN': '压缩包条目（路径安全、无链接、无重名）' },
  'verify.check.folder-entries': { en: 'folder entries', 'zh-CN': '文件夹条目（路径安全、无链接）' },
  'verify.check.zip-sidecar': { en: 'zip checksum file', 'zh-CN': '压缩包校验文件（.zip.sha256）' },
  'verify.check.original': { en: 'original', 'zh-CN': '与原始文件比对' },
  'verify.passed': { en: 'OK', 'zh-CN': '通过' },
  'verify.failed': { en: 'FAILED', 'zh-CN': '未通过' },
  'verify.intact': {
    en: 'Bundle intact: {ok} files OK, all {checks} checks passed.',
    'zh-CN': '证据包完好：{ok} 个文件均为 OK，{checks} 项检查全部通过。',
  },
  'verify.not-intact': {
    en: 'Bundle NOT intact: {changed} changed, {missing} missing, {extra} extra, {failed} failed check(s).',
    'zh-CN':
      '证据包不完好：{changed} 个文件被改动，{missing} 个缺失，{extra} 个多出，{failed} 项检查未通过。',
  },
  'verify.original-sealed': {
    en: '{path} has the SHA-256 and SM3 sealed at packing time for the original {match} (recorded in {sealedIn}): it is byte-identical to the file that was packed.',
    'zh-CN':
      '{path} 的 SHA-256 与 SM3 均与打包时为原始录音 {match} 封存的值（记录于 {sealedIn}）一致：与当初打包的文件逐字节相同。',
  },
  'verify.copy-intact': {
    en: 'The bundled copy {match} still has those sealed values.',
    'zh-CN': '证据包中的副本 {match} 仍与封存值一致。',
  },
  'verify.copy-changed': {
    en: 'The bundled copy {match} NO LONGER has those sealed values: it was changed after packing (see above).',
    'zh-CN': '证据包中的副本 {match} 已与封存值不一致：打包后被改动过（见上文）。',
  },
  'verify.original-differs': {
    en: '{path} does NOT have the SHA-256 and SM3 sealed at packing time for any original of this bundle: it is not the file that was packed.',
    'zh-CN':
      '{path} 的 SHA-256 与 SM3 与打包时为本证据包任何原始录音封存的值都不一致：它不是当初打包的文件。',
  },
  'verify.original-no-seal': {
    en: '{path} could not be compared: this bundle holds no sealed SHA-256 and SM3 of an original.',
    'zh-CN': '无法比对 {path}：本证据包中没有封存的原始录音 SHA-256 与 SM3 值。',
  },
  'timestamp-failed': {
    en: 'No timestamp from {tsa}: {detail}',
    'zh-CN': '未能从 {tsa} 获得时间戳：{detail}',
  },
  'timestamp.failed': {
    en: 'No timestamp from {tsa}: {reason}. Nothing was written beside the bundle for it.',
    'zh-CN': '未能从 {tsa} 获得时间戳：{reason}。未为其在证据包旁写入任何文件。',
  },
  'timestamp.bundle-failed': {
    en: 'No timestamp for {bundle}: {reason}.',
    'zh-CN': '未为 {bundle} 加盖时间戳：{reason}。',
  },
  'timestamp.reason.bad-url': { en: 'not an http(s) URL', 'zh-CN': '不是 http(s) 网址' },
  'timestamp.reason.unreachable': {
    en: 'the server cannot be reached ({error})',
    'zh-CN': '无法连接服务器（{error}）',
  },
  'timestamp.reason.timeout': {
    en: 'no answer within {seconds} s',
    'zh-CN': '{seconds} 秒内没有应答',
  },
  'timestamp.reason.http-status': {
    en: 'the server answered HTTP {status} instead of a timestamp',
    'zh-CN': '服务器返回 HTTP {status}，而不是时间戳',
  },
  'timestamp.reason.too-large': { en: 'the answer is too large', 'zh-CN': '应答过大' },
  'timestamp.reason.not-a-response': {
    en: 'the answer is not an RFC 3161 timestamp response',
    'zh-CN': '应答不是 RFC 3161 时间戳响应',
  },
  'timestamp.reason.not-granted': {
    en: 'the TSA refused the request ({status}{text})',
    'zh-CN': '时间戳服务机构拒绝了请求（{status}{text}）',
  },
  'timestamp.reason.no-token': {
    en: 'the response holds no readable timestamp token',
    'zh-CN': '响应中没有可读取的时间戳令牌',
  },
  'timestamp.reason.algorithm-mismatch': {
    en: 'the token uses another hash algorithm than the request',
    'zh-CN': '时间戳使用的杂凑算法与请求不同',
  },
  'timestamp.reason.imprint-mismatch': {
    en: 'the token stamps another hash than the one sent (not an answer to this request)',
    'zh-CN': '时间戳所盖的杂凑值与发送的不同（不是对本次请求的应答）',
  },
  'timestamp.reason.nonce-mismatch': {
    en: 'the token carries another nonce than the request (not an answer to this request)',
    'zh-CN': '时间戳中的随机数（nonce）与请求不同（不是对本次请求的应答）',
  },
  'timestamp.reason.signature-invalid': {
    en: 'the signature of the token does not verify ({detail})',
    'zh-CN': '时间戳签名验证失败（{detail}）',
  },
  'timestamp.reason.no-request': {
    en: 'no saved request (.tsq) beside the bundle matches this response; run "timestamp --request-only" first',
    'zh-CN': '证据包旁没有与该响应对应的请求文件（.tsq）；请先运行 "timestamp --request-only"',
  },
  'timestamp.reason.not-a-bundle': {
    en: 'not an evidence bundle (a zip, or a bag folder with tagmanifest-sha256.txt)',
    'zh-CN': '不是证据包（应为 zip，或含 tagmanifest-sha256.txt 的证据包文件夹）',
  },
  'timestamp.reason.bundle-not-intact': {
    en: 'the bundle does not verify; a timestamp would seal a damaged bundle (run "audio-evidence verify")',
    'zh-CN': '证据包核验未通过，不应为已损坏的证据包加盖时间戳（请运行 "audio-evidence verify"）',
  },
  'timestamp.stored': {
    en: 'Timestamp from {tsa} stored: {file}\n  time {local} ({utc} UTC), {algo} {imprint}\n  signed by {signer}',
    'zh-CN':
      '已保存来自 {tsa} 的时间戳：{file}\n  时间 {local}（UTC {utc}），{algo} {imprint}\n  签发者 {signer}',
  },
  'timestamp.request-written': {
    en: 'Timestamp request written: {file} ({algo} of {subject}). Send it to a TSA, e.g.:\n  {command}\nthen file the answer with:\n  audio-evidence timestamp {bundle} --add-response {response}',
    'zh-CN':
      '已写入时间戳请求：{file}（{subject} 的 {algo}）。请将其发送给时间戳服务机构，例如：\n  {command}\n然后用以下命令登记应答：\n  audio-evidence timestamp {bundle} --add-response {response}',
  },
  'timestamp.no-tsa': {
    en: 'Name at least one TSA with --tsa URL (see the README for public ones), or use --request-only',
    'zh-CN': '请用 --tsa 网址 指定至少一个时间戳服务机构（README 中列有公共服务），或使用 --request-only',
  },
  'timestamp.bad-hash': {
    en: '--hash takes sha256, sm3 or sha512, not "{value}"',
    'zh-CN': '--hash 须为 sha256、sm3 或 sha512，而不是“{value}”',
  },
  'timestamp.bad-timeout': {
    en: '--timeout takes a number of seconds, not "{value}"',
    'zh-CN': '--timeout 须为秒数，而不是“{value}”',
  },
  'verify.check.timestamp': { en: 'timestamp', 'zh-CN': '可信时间戳' },
  'verify.check.expect': { en: 'expected hash', 'zh-CN': '与给定杂凑值比对（--expect）' },
  'verify.expect-invalid': {
    en: '--expect takes a SHA-256 or SM3 value (64 hex digits), not "{value}"',
    'zh-CN': '--expect 须为 SHA-256 或 SM3 值（64 位十六进制），而不是“{value}”',
  },
  'verify.tsa-ca-invalid': {
    en: '--tsa-ca {path}: no PEM certificate could be read ({detail})',
    'zh-CN': '--tsa-ca {path}：无法读取 PEM 证书（{detail}）',
  },
  'verify.ts.line': {
    en: 'Timestamp {file}: {local} ({utc} UTC), issued by {tsa}, {algo}; imprint {imprint}; signature {signature}; {chain}',
    'zh-CN':
      '时间戳 {file}：{local}（UTC {utc}），签发者 {tsa}，{algo}；杂凑值{imprint}；签名{signature}；{chain}',
  },
  'verify.ts.unreadable': {
    en: 'Timestamp {file}: cannot be used ({detail})',
    'zh-CN': '时间戳 {file}：无法使用（{detail}）',
  },
  'verify.ts.imprint-ok': { en: 'matches the bundle now', 'zh-CN': '与当前证据包一致' },
  'verify.ts.imprint-differs': { en: 'DIFFERS from the bundle now', 'zh-CN': '与当前证据包不一致' },
  'verify.ts.signature-valid': { en: 'valid', 'zh-CN': '有效' },
  'verify.ts.signature-invalid': { en: 'INVALID ({detail})', 'zh-CN': '无效（{detail}）' },
  'verify.ts.trusted': { en: 'TSA certificate chain trusted', 'zh-CN': '时间戳服务机构证书链可信' },
  'verify.ts.untrusted': {
    en: 'TSA certificate chain NOT trusted ({detail})',
    'zh-CN': '时间戳服务机构证书链不可信（{detail}）',
  },
  'verify.ts.not-checked': {
    en: 'signature valid, chain not checked (give --tsa-ca FILE to check it)',
    'zh-CN': '签名有效，未核验证书链（可用 --tsa-ca 文件 进行核验）',
  },
  'verify.proof.title': { en: 'What this proves:', 'zh-CN': '核验结论说明：' },
  'verify.proof.consistent': {
    en: '- Every file matches the manifests (the bundle is internally consistent).',
    'zh-CN': '- 每个文件都与清单一致（证据包内部自洽）。',
  },
  'verify.proof.inconsistent': {
    en: '- The bundle is NOT internally consistent: see the failed checks above.',
    'zh-CN': '- 证据包内部不一致：见上方未通过的检查项。',
  },
  'verify.proof.timestamp': {
    en: "- The {subject}'s {algo} equals the value in the timestamp issued by {tsa} at {local} ({utc} UTC): it has not changed since then{trust}.",
    'zh-CN':
      '- {subject}的 {algo} 与 {tsa} 于 {local}（UTC {utc}）签发的时间戳中的值一致：此后未被改动{trust}。',
  },
  'verify.proof.timestamp-trusted': { en: ' (TSA chain trusted)', 'zh-CN': '（证书链可信）' },
  'verify.proof.timestamp-unchecked': {
    en: ' (signature valid; the TSA chain was not checked: give --tsa-ca)',
    'zh-CN': '（签名有效；未核验证书链，可用 --tsa-ca）',
  },
  'verify.proof.timestamp-failed': {
    en: '- FAILED: the timestamp {file} (issued by {tsa} at {local}) does not vouch for this bundle: {why}.',
    'zh-CN': '- 未通过：时间戳 {file}（{tsa} 于 {local} 签发）不能证明本证据包：{why}。',
  },
  'verify.proof.why-imprint': {
    en: 'the bundle changed after it was stamped',
    'zh-CN': '证据包在盖时间戳之后被改动过',
  },
  'verify.proof.expect': {
    en: '- {what}: its {algo} equals the value you gave (--expect {value}).',
    'zh-CN': '- {what}的 {algo} 与您给出的值一致（--expect {value}）。',
  },
  'verify.proof.expect-failed': {
    en: '- FAILED: neither the zip nor any sealed original has the value you gave (--expect {value}) as its SHA-256 or SM3.',
    'zh-CN': '- 未通过：压缩包和证据包中的原始录音的 SHA-256 或 SM3 都不等于您给出的值（--expect {value}）。',
  },
  'verify.proof.unanchored': {
    en: '- Not proven: consistency alone does not exclude a bundle rebuilt by someone else (the original changed and every manifest and the .sha256 recomputed). Compare the SHA-256 of the original ({original}) with the one in the evidence list you filed, give it with --expect, or get a timestamp ("audio-evidence timestamp").',
    'zh-CN':
      '- 未能证明：内部自洽本身并不能排除他人改动原始录音后重新计算全部清单和 .sha256 文件、重建证据包的可能。请将原始录音的 SHA-256（{original}）与已提交的证据目录中的值对比，或用 --expect 给出该值，或申请可信时间戳（"audio-evidence timestamp"）。',
  },
  'verify.subject.zip': { en: 'zip', 'zh-CN': '压缩包' },
  'verify.subject.tagmanifest': {
    en: 'tag manifest (tagmanifest-sha256.txt, which pins every file)',
    'zh-CN': '标签文件清单（tagmanifest-sha256.txt，锁定全部文件）',
  },
  'verify.what.zip': { en: 'The zip', 'zh-CN': '压缩包' },
  'verify.what.tag-manifest': { en: 'The tag manifest', 'zh-CN': '标签文件清单' },
  'verify.what.original': { en: 'The sealed original {path}', 'zh-CN': '证据包中的原始录音 {path} ' },
  'batch.no-recordings': {
    en: 'No recordings found in this folder (files are recognised by their content): {path}',
    'zh-CN': '此文件夹中没有找到录音（按文件内容识别）：{path}',
  },
  'batch.folder-unreadable': {
    en: 'Cannot read the folder ({detail}): {path}',
    'zh-CN': '无法读取文件夹（{detail}）：{path}',
  },
  'batch.is-bag': {
    en: '{path} is already an evidence bundle; check it with "audio-evidence verify" instead of packing it again',
    'zh-CN': '{path} 已经是证据包，请用 "audio-evidence verify" 核验，无需再次打包',
  },
  'batch.jobs-invalid': {
    en: '--jobs takes a whole number from 1 to 256, not "{value}"',
    'zh-CN': '--jobs 须为 1 到 256 之间的整数，而不是“{value}”',
  },
  'batch.combine-name': {
    en: '--combine needs a name for the case bundle',
    'zh-CN': '--combine 需要为案件证据包指定名称',
  },
  'batch.title': {
    en: 'Summary: {total} item(s), {ok} done, {failed} failed',
    'zh-CN': '汇总：共 {total} 项，成功 {ok} 项，失败 {failed} 项',
  },
  'batch.case-bundle': { en: 'Case bundle: {path}', 'zh-CN': '案件证据包：{path}' },
  'batch.skipped': {
    en: 'Skipped in folders: {count} file(s) whose content is not a recording: {names}',
    'zh-CN': '文件夹中已跳过 {count} 个按内容判断不是录音的文件：{names}',
  },
  'batch.col.file': { en: 'File', 'zh-CN': '文件' },
  'batch.col.result': { en: 'Result', 'zh-CN': '结论' },
  'batch.col.bundle': { en: 'Bundle or problem', 'zh-CN': '证据包或问题' },
  'batch.col.details': { en: 'Findings or problem', 'zh-CN': '发现或问题' },
  'batch.col.in-bundle': { en: 'Stored in the bundle as', 'zh-CN': '证据包内路径' },
  'batch.failed': { en: 'FAILED', 'zh-CN': '失败' },
  'batch.count.critical': { en: '{count} critical', 'zh-CN': '严重 {count}' },
  'batch.count.warning': { en: '{count} warning(s)', 'zh-CN': '警告 {count}' },
  'batch.count.info': { en: '{count} info', 'zh-CN': '提示 {count}' },
  'batch.count.separator': { en: ', ', 'zh-CN': '，' },
  'short.no-signs-found': { en: 'no signs found', 'zh-CN': '未发现迹象' },
  'short.review-recommended': { en: 'review recommended', 'zh-CN': '建议复核' },
  'short.signs-of-editing': { en: 'signs of editing/damage', 'zh-CN': '有剪辑或损坏迹象' },
  'progress.hash': { en: 'hashing', 'zh-CN': '计算哈希' },
  'progress.decode': { en: 'analysing', 'zh-CN': '分析' },
  'progress.finish': { en: 'writing', 'zh-CN': '写入' },
  'progress.eta': { en: 'ETA {time}', 'zh-CN': '剩余 {time}' },
  'progress.files': { en: '{done}/{total} files', 'zh-CN': '{done}/{total} 个文件' },
  'cli.unknown-option': { en: 'Unknown option: {name}', 'zh-CN': '未知选项：{name}' },
  'cli.unknown-command': {
    en: 'Unknown command: {name} (commands: inspect, pack, verify, hash, timestamp, profile)',
    'zh-CN': '未知命令：{name}（可用命令：inspect、pack、verify、hash、timestamp、profile）',
  },
  'cli.missing-argument': {
    en: 'Missing argument: {name} (give a file or folder)',
    'zh-CN': '缺少参数：{name}（请指定文件或文件夹）',
  },
  'cli.option-required': { en: 'The option {name} is required', 'zh-CN': '缺少必需的选项 {name}' },
  'cli.option-missing-value': { en: 'Option {name} needs a value', 'zh-CN': '选项 {name} 需要一个值' },
  'cli.invalid-value': {
    en: 'Option {name}: "{value}" is not valid',
    'zh-CN': '选项 {name} 的值“{value}”无效',
  },
  'cli.invalid-choice': {
    en: 'Option {name}: "{value}" is not valid (choices: {choices})',
    'zh-CN': '选项 {name} 的值“{value}”无效（可选值：{choices}）',
  },
  'cli.usage': { en: '{detail}', 'zh-CN': '命令行用法有误：{detail}' },
  'cli.help-hint': {
    en: 'Run "audio-evidence --help" for usage.',
    'zh-CN': '运行 "audio-evidence --help" 查看用法。',
  },
  // ---- Issue 14 (court-ready evidence list): pack --case-file, --court, --party-role, per-recording --title/--proves.
  // Kept together at the end of the table so that translation work on the entries above merges cleanly.
  'pack.option-twice': {
    en: 'Option {name} was given more than once for every recording; for one recording write "01=TEXT" or "FILE=TEXT".',
    'zh-CN': '选项 {name} 给了不止一次且都未指明录音；只针对某一个录音时请写成 "01=内容" 或 "文件名=内容"。',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** The message `key` in `lang`, with {name} placeholders replaced from `params`. */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = MESSAGES[key][lang];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

export function hasMessage(key: string): key is MessageKey {
  return key in MESSAGES;
}
