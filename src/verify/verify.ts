// Offline verification of a bundle (zip or bag folder). Placeholder until the bundle work lands.

export type FileStatus = 'OK' | 'CHANGED' | 'MISSING' | 'EXTRA';

export interface VerifyOptions {
  original?: string;
}

export interface VerifyReport {
  path: string;
  ok: boolean;
  files: Array<{ path: string; status: FileStatus }>;
  checks: Array<{ id: string; ok: boolean; detail: string }>;
  original?: { path: string; identical: boolean; sha256: string; sm3: string };
}

export async function verify(_path: string, _options: VerifyOptions = {}): Promise<VerifyReport> {
  throw new Error('verify is not implemented yet');
}
