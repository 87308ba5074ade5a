// Picks the user's language: --lang wins, else zh-CN when the locale variables start with "zh".

export type Lang = 'zh-CN' | 'en';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** Normalises a --lang value; returns undefined for anything we do not ship. */
export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v.startsWith('zh')) return 'zh-CN';
  if (v.startsWith('en')) return 'en';
  return undefined;
}

/** Language from the environment, in POSIX precedence order (LC_ALL, LC_MESSAGES, LANG). */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE'] as const) {
    const value = env[name];
    if (value && value !== 'C' && value !== 'POSIX')
      return value.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  }
  return 'en';
}

export function resolveLang(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  return parseLang(option) ?? langFromEnv(env);
}
