/**
 * The extension reads as its parts: small modules, each with one job.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

const SRC = join(__dirname, '..');
const MAX_LINES = 300;

/** Lines as `wc -l` counts them. */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === '__tests__' ? [] : modules(path);
    }
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('the layout of the extension', () => {
  it('has no module longer than 300 lines unless its first comment says why', () => {
    const long = modules(SRC)
      .map(path => ({ path, text: readFileSync(path, 'utf-8') }))
      .filter(({ text }) => lineCount(text) > MAX_LINES)
      .filter(({ text }) => !/^\/\*\*[\s\S]*?Longer than 300 lines/.test(text))
      .map(({ path }) => relative(SRC, path));
    expect(long).toEqual([]);
  });

  it('keeps its styles in style/, not in TypeScript', () => {
    const injecting = modules(SRC)
      .filter(path =>
        /createElement\(['"]style['"]\)/.test(readFileSync(path, 'utf-8'))
      )
      .map(path => relative(SRC, path));
    expect(injecting).toEqual([]);
  });
});
