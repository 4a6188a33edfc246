/**
 * Glob patterns on notebook paths (`trackPatterns` / `ignorePatterns`), matched by picomatch.
 *
 * `*` matches within one path segment, `**` any number of segments (none included), `?` one
 * character, `[abc]`, `[a-z]` and `[!abc]` one of a set, `{a,b}` alternatives. Hidden files and
 * folders match like any other (`**` covers `.ipynb_checkpoints/`). Paths use `/` separators,
 * whatever the browser's platform, and are compared without a leading `/` or `./`.
 */
import picomatch from 'picomatch/posix';

/** POSIX brackets (`[!a]`), and dot files matched like any other. */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, posix: true };

const matchers = new Map<string, (path: string) => boolean>();

function matcherOf(pattern: string): (path: string) => boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = picomatch(normalisePath(pattern), OPTIONS);
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** A path with `/` separators and no leading `./` or `/`. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

/**
 * Whether `path` matches at least one of `patterns`.
 *
 * @param path - a notebook path relative to the server root
 * @param patterns - glob patterns
 */
export function matchesAny(path: string, patterns: readonly string[]): boolean {
  const normalised = normalisePath(path);
  return patterns.some(pattern => matcherOf(pattern)(normalised));
}
