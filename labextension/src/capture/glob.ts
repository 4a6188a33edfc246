/**
 * A small glob matcher for notebook paths (`trackPatterns` / `ignorePatterns`).
 *
 * Supported syntax: `*` (any characters but `/`), `**` (any number of path
 * segments, including none), `?` (one character but `/`), `[abc]`, `[a-z]`,
 * `[!abc]` and `{a,b}` alternatives. Paths are compared with `/` separators
 * and without a leading `/`.
 */

const cache = new Map<string, RegExp>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function bracesBalance(pattern: string): boolean {
  let depth = 0;
  for (const char of pattern) {
    depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    if (depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

function translate(pattern: string): string {
  const withBraces = bracesBalance(pattern);
  let out = '';
  let i = 0;
  let braceDepth = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        const afterStars = pattern[i + 2];
        if (atSegmentStart && afterStars === '/') {
          // `**/` : zero or more whole segments.
          out += '(?:[^/]*/)*';
          i += 3;
          continue;
        }
        if (atSegmentStart && afterStars === undefined) {
          // trailing `**` : everything below.
          out += '.*';
          i += 2;
          continue;
        }
        // `**` inside a segment behaves like `*`.
        out += '[^/]*';
        i += 2;
        continue;
      }
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        out += '\\[';
      } else {
        let body = pattern.slice(i + 1, end);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) {
          body = body.slice(1);
        }
        body = body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
        out += negated ? `[^/${body}]` : `[${body}]`;
        i = end + 1;
        continue;
      }
    } else if (char === '{' && withBraces) {
      braceDepth += 1;
      out += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth -= 1;
      out += ')';
    } else if (char === ',' && braceDepth > 0) {
      out += '|';
    } else if (char === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[i + 1]);
      i += 2;
      continue;
    } else {
      out += escapeRegExp(char);
    }
    i += 1;
  }
  return out;
}

/**
 * Compile a glob pattern to an anchored regular expression.
 *
 * @param pattern - e.g. `labs/**\/*.ipynb`
 */
export function globToRegExp(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${translate(normalisePath(pattern))}$`);
    cache.set(pattern, compiled);
  }
  return compiled;
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
  return patterns.some(pattern => globToRegExp(pattern).test(normalised));
}
