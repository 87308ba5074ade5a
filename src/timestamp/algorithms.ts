// The hash algorithms a timestamp imprint may use, by name and by OID (SM3 for Chinese TSAs).

export const STAMP_HASHES = ['sha256', 'sm3', 'sha512'] as const;
export type StampHash = (typeof STAMP_HASHES)[number];

const OIDS: Record<StampHash, string> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha512: '2.16.840.1.101.3.4.2.3',
  // GM/T 0004-2012 SM3, as registered by the Chinese OID authority.
  sm3: '1.2.156.10197.1.401',
};

const LABELS: Record<StampHash, string> = { sha256: 'SHA-256', sha512: 'SHA-512', sm3: 'SM3' };

const LENGTHS: Record<StampHash, number> = { sha256: 32, sha512: 64, sm3: 32 };

export const hashOid = (hash: StampHash): string => OIDS[hash];
export const hashLabel = (hash: StampHash): string => LABELS[hash];
export const hashLength = (hash: StampHash): number => LENGTHS[hash];

/** The algorithm of an imprint OID, or undefined for one this tool cannot recompute. */
export function hashFromOid(oid: string): StampHash | undefined {
  return STAMP_HASHES.find((hash) => OIDS[hash] === oid);
}

/** Parses a --hash value (case and a dash forgiven); undefined when not supported. */
export function parseStampHash(value: string): StampHash | undefined {
  const name = value.trim().toLowerCase().replace('-', '');
  return (STAMP_HASHES as readonly string[]).includes(name) ? (name as StampHash) : undefined;
}
