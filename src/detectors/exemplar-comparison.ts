// Compares the recording's structure profile with exemplar recordings (SF/T 0120-2021 样本录音), or names the closest known writer.
import type { AnalysisContext } from '../analysis/context.js';
import type { SignatureMatch, SignatureTable } from '../analysis/signatures.js';
import {
  type AllowedValue,
  compareProfile,
  type ProfileMatch,
  rankProfiles,
  type WriterProfile,
} from '../exemplar/compare.js';
import { builtinProfiles } from '../exemplar/library.js';
import { fieldMeaning, VERSION_FIELDS } from '../exemplar/meanings.js';
import { profileOf, type StructureProfile } from '../exemplar/profile.js';
import type { Category, Finding } from '../types.js';
import {
  type Detector,
  type DetectorMeta,
  type DetectorResult,
  finding,
  fromFindings,
  notAssessable,
} from './types.js';

export const meta: DetectorMeta = {
  id: 'exemplar-comparison',
  title: 'Comparison with exemplar recordings',
  category: 'structure',
  aspect: 'originality',
  description:
    'Compares what the writing app controls in the file (container layout, header fields, codec settings, metadata keys) with exemplar recordings made with the claimed app, or with known writer profiles.',
};

/** Fields about the encoded audio rather than the container around it. */
const ENCODING =
  /^(codec\.|mp4\.(esds|stsd|stts)\.|mp3\.(bitrate|channelMode|version|layer|crc|lame)|amr\.|aac\.|flac\.(min|max|bits)|ogg\.(packetSamples|header\.))/;

const show = (value: AllowedValue | AllowedValue[]): string =>
  value === null ? '(absent)' : JSON.stringify(value);

/** The questioned recording's profile, from the context's parse and probe. */
export function questionedProfile(ctx: AnalysisContext): StructureProfile {
  return profileOf({
    container: ctx.identified.container,
    ...(ctx.structure ? { structure: ctx.structure } : {}),
    ...(ctx.probe ? { probe: ctx.probe } : {}),
  });
}

function withExemplar(questioned: StructureProfile, exemplar: WriterProfile): DetectorResult {
  const result = compareProfile(questioned, exemplar, 'en');
  const names = exemplar.files.map((f) => f.name);
  const findings: Finding[] = [];
  // Another format or codec makes most other fields differ with it: one warning then says so, and the
  // consequences stay in the comparison table (and in the JSON's `exemplar.differences`).
  const boxes = (v: unknown): boolean => typeof v === 'string' && /^(mp4|3gp|3g2|mov)$/.test(v);
  const root =
    result.differences.find(
      (d) =>
        d.field === 'container' &&
        !(boxes(d.questioned) && (Array.isArray(d.exemplar) ? d.exemplar.every(boxes) : boxes(d.exemplar))),
    ) ?? result.differences.find((d) => d.field === 'codec.name');
  const shown = root
    ? [root, ...result.differences.filter((d) => VERSION_FIELDS.has(d.field))]
    : result.differences;
  for (const d of shown) {
    const version = VERSION_FIELDS.has(d.field);
    const category: Category = ENCODING.test(d.field) ? 'encoding' : 'structure';
    findings.push(
      finding(meta, {
        id: version ? 'exemplar-version-difference' : 'exemplar-difference',
        severity: version ? 'info' : 'warning',
        category,
        title: `Differs from the exemplar recordings in ${d.field}: ${d.meaning}`,
        detail: `${d.field}: this file ${show(d.questioned)}, exemplars ${show(d.exemplar)}${
          d === root && result.differences.length > 1
            ? `; ${result.differences.length - 1} further field(s) differ with it: ${result.differences
                .filter((x) => x !== root)
                .map((x) => x.field)
                .join(', ')}`
            : ''
        }`,
        evidence: {
          field: d.field,
          questioned: d.questioned,
          exemplar: d.exemplar,
          meaning: d.meaning,
          meaningZh: fieldMeaning(d.field, 'zh-CN'),
        },
      }),
    );
  }
  const compared = result.compared.map((field) => {
    const allowed = exemplar.fields[field] ?? [null];
    return {
      field,
      questioned: questioned.fields[field] ?? null,
      exemplar: allowed.length === 1 ? (allowed[0] ?? null) : allowed,
      agrees: result.agreeing.includes(field),
    };
  });
  const differing = result.differences.length;
  findings.push(
    finding(meta, {
      id: 'exemplar-compared',
      severity: 'info',
      title:
        differing === 0
          ? `Agrees with the exemplar recordings on all ${result.compared.length} compared structure fields`
          : `Compared with the exemplar recordings: ${result.agreeing.length} of ${result.compared.length} structure fields agree`,
      detail: `exemplars: ${names.join(', ')}; fields compared: ${result.compared.join(', ')}`,
      evidence: {
        exemplars: names,
        agreeing: result.agreeing.length,
        total: result.compared.length,
        differing,
        fields: compared,
      },
    }),
  );
  if (result.disagreements.length > 0)
    findings.push(
      finding(meta, {
        id: 'exemplar-disagreement',
        severity: 'info',
        title: `The exemplar recordings differ among themselves in ${result.disagreements.length} field(s): ${result.disagreements.join(', ')}`,
        detail:
          'Either value is accepted for these fields. Exemplars from two app or system versions, or two recording settings, differ like this.',
        evidence: { fields: result.disagreements, count: result.disagreements.length },
      }),
    );
  const agreeing = result.agreeing.length;
  return fromFindings(
    findings,
    `${agreeing} of ${result.compared.length} fields agree with ${names.length} exemplar(s)`,
  );
}

/**
 * How much better a tool's profile must fit than every profile of the recorder the file names before the
 * layout counts as the tool's. On the genuine recordings (held-out ones included) a recorder's file never
 * fits a tool's profile better than its own recorder's: the closest case is raw AMR, where every writer
 * writes the same 9 fields (a tie, 0 fields apart); an MP4 recorder's file is 8 or more fields closer to
 * its recorder's profile. A copy of the recorder's tags on an FFmpeg-written file leaves it 4 (M4A) to
 * 9 (3GP) fields closer to FFmpeg's. So: at least 3 fields and 5 % of the compared fields.
 */
const LAYOUT_MARGIN_FIELDS = 3;
const LAYOUT_MARGIN_SHARE = 0.05;

/**
 * A recorder the file's tags name, against the layout it actually has: when a conversion tool's profile
 * (a profile named by a non-recorder signature, see templates/signatures.json "profiles") fits clearly
 * better than every profile of the named recorder, the file was re-written by that tool after recording
 * and the recorder's traces were kept or copied onto it.
 */
function layoutOfOtherWriter(
  ranked: readonly ProfileMatch[],
  writers: readonly SignatureMatch[],
  table: SignatureTable,
): Finding | undefined {
  const best = ranked[0];
  if (!best) return undefined;
  const recorders = writers.filter((w) => w.signature.kind === 'recorder' && w.signature.profiles?.length);
  const own = new Set(recorders.flatMap((w) => w.signature.profiles ?? []));
  if (own.size === 0 || own.has(best.name)) return undefined;
  const tool = table.signatures.find((s) => s.kind !== 'recorder' && s.profiles?.includes(best.name));
  if (!tool) return undefined;
  const claimed = ranked.find((r) => own.has(r.name));
  const share = (m: ProfileMatch): number => (m.compared > 0 ? m.agreeing / m.compared : 0);
  const claimedShare = claimed ? share(claimed) : 0;
  const ahead = best.agreeing - (claimed?.agreeing ?? 0);
  if (ahead < LAYOUT_MARGIN_FIELDS || share(best) - claimedShare < LAYOUT_MARGIN_SHARE) return undefined;
  const recorder = recorders[0]?.signature.name ?? 'a recorder';
  const against = claimed
    ? `${claimed.agreeing} of ${claimed.compared} with ${claimed.name}`
    : 'no profile of that recorder applies to this format';
  return finding(meta, {
    id: 'layout-of-other-writer',
    severity: 'warning',
    title: `The file names ${recorder} but is laid out as ${best.name} writes files (${best.agreeing} of ${best.compared} structure fields agree; ${against})`,
    detail:
      `A recorder writes its own file layout. This file carries ${recorder}'s traces, but its boxes, header fields and codec settings fit ${tool.name}'s layout ${ahead} fields better than any layout of that recorder: the file was written again by ${tool.name} after the recording, and the recorder's traces were kept or copied onto it.` +
      (claimed?.differing.length ? ` Fields unlike ${claimed.name}: ${claimed.differing.join(', ')}.` : ''),
    evidence: {
      recorder,
      profile: best.name,
      agreeing: best.agreeing,
      total: best.compared,
      ...(claimed
        ? { claimedProfile: claimed.name, claimedAgreeing: claimed.agreeing, claimedTotal: claimed.compared }
        : {}),
      ahead,
      tool: tool.name,
    },
  });
}

function withLibrary(
  questioned: StructureProfile,
  library: readonly WriterProfile[],
  writers: readonly SignatureMatch[],
  table: SignatureTable,
): DetectorResult {
  const ranked = rankProfiles(questioned, library);
  const best = ranked[0];
  if (!best) return notAssessable('no exemplar given and no known writer profile for this format');
  // Writers that write the same structure (iOS and macOS Voice Memos, any raw AMR writer) tie: say so.
  const tied = ranked.filter(
    (r) => r !== best && r.agreeing === best.agreeing && r.compared === best.compared,
  );
  const runnerUp = ranked.find((r) => r !== best && !tied.includes(r));
  const also = tied.length ? `; equally close: ${tied.map((r) => r.name).join(', ')}` : '';
  const findings = [
    finding(meta, {
      id: 'writer-profile-match',
      severity: 'info',
      title: `Closest known writer profile: ${best.name} (${best.agreeing} of ${best.compared} structure fields agree${also})`,
      detail: `No exemplar recordings were given; the file's structure was compared with the built-in writer profiles.${
        runnerUp ? ` Next: ${runnerUp.name} (${runnerUp.agreeing} of ${runnerUp.compared}).` : ''
      }${best.differing.length ? ` Differing fields: ${best.differing.join(', ')}.` : ''}`,
      evidence: {
        profile: best.name,
        agreeing: best.agreeing,
        total: best.compared,
        equallyClose: tied.map((r) => r.name),
        ...(tied.length ? { also: tied.map((r) => r.name).join('; ') } : {}),
        differing: best.differing,
        ranking: ranked
          .slice(0, 5)
          .map((r) => ({ profile: r.name, agreeing: r.agreeing, total: r.compared })),
      },
    }),
  ];
  // Without exemplars a file unlike every known profile is an unknown writer, not a sign; but a file
  // that names a recorder while laid out as a conversion tool writes is one.
  const contradiction = layoutOfOtherWriter(ranked, writers, table);
  if (contradiction) {
    findings.push(contradiction);
    return fromFindings(findings, `laid out as ${best.name} writes files, though it names a recorder`);
  }
  return {
    outcome: 'not-assessable',
    note: `no exemplar recordings given; closest known writer profile: ${best.name} (${best.agreeing} of ${best.compared} fields agree)`,
    findings,
  };
}

export const exemplarComparison: Detector = {
  meta,
  run(ctx: AnalysisContext): DetectorResult {
    const container = ctx.identified.container;
    if (container === 'not-audio' || container === 'empty' || (container === 'unknown' && !ctx.probe?.audio))
      return notAssessable('not an audio recording');
    const questioned = questionedProfile(ctx);
    if (ctx.exemplar) return withExemplar(questioned, ctx.exemplar);
    return withLibrary(
      questioned,
      ctx.writerProfiles ?? builtinProfiles(),
      ctx.writers ?? [],
      ctx.signatures,
    );
  },
};
