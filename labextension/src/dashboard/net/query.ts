/**
 * Query strings for the API. Pure logic.
 */

/** Parameter values; `null`, `undefined` and `''` are left out. */
export type QueryParams = Record<
  string,
  string | number | boolean | null | undefined
>;

/**
 * `path` with the given parameters, URL-encoded, e.g.
 * `withQuery('progress', { notebook: 'a b.ipynb' })` is `progress?notebook=a%20b.ipynb`.
 */
export function withQuery(path: string, params: QueryParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') {
      continue;
    }
    parts.push(
      `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`
    );
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}
