// Quoting for the commands we print and write into README-verify: POSIX sh single quotes.

/** `text` as one POSIX shell word: always in single quotes, each ' written as '\''. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
