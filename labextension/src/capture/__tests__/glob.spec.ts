import { matchesAny } from '../glob';

describe('glob patterns on notebook paths', () => {
  it.each([
    ['**', 'lab1.ipynb', true],
    ['**', 'course/week1/lab1.ipynb', true],
    ['*.ipynb', 'lab1.ipynb', true],
    ['*.ipynb', 'course/lab1.ipynb', false],
    ['**/*.ipynb', 'lab1.ipynb', true],
    ['**/*.ipynb', 'course/week1/lab1.ipynb', true],
    ['course/**', 'course/week1/lab1.ipynb', true],
    ['course/**', 'other/lab1.ipynb', false],
    ['course/**/lab?.ipynb', 'course/lab1.ipynb', true],
    ['course/**/lab?.ipynb', 'course/a/b/lab2.ipynb', true],
    ['course/**/lab?.ipynb', 'course/a/lab10.ipynb', false],
    ['lab[0-9].ipynb', 'lab7.ipynb', true],
    ['lab[!0-9].ipynb', 'lab7.ipynb', false],
    ['lab[!0-9].ipynb', 'labx.ipynb', true],
    ['{week1,week2}/*.ipynb', 'week2/a.ipynb', true],
    ['{week1,week2}/*.ipynb', 'week3/a.ipynb', false],
    [
      '**/.ipynb_checkpoints/**',
      'a/.ipynb_checkpoints/x-checkpoint.ipynb',
      true
    ],
    ['lab (1).ipynb', 'lab (1).ipynb', true],
    ['a+b.ipynb', 'aab.ipynb', false],
    ['{oops.ipynb', '{oops.ipynb', true],
    ['private/*', '/private/notes.ipynb', true],
    ['**', '.hidden/lab1.ipynb', true],
    ['course/**', 'course/.week1/lab1.ipynb', true],
    ['course/*', 'course/week1/lab1.ipynb', false],
    ['**/lab1.ipynb', 'lab1.ipynb', true]
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(matchesAny(path, [pattern])).toBe(expected);
  });

  it('needs at least one pattern to match', () => {
    expect(matchesAny('lab1.ipynb', [])).toBe(false);
    expect(matchesAny('lab1.ipynb', ['x/**', '*.ipynb'])).toBe(true);
  });

  it('anchors the whole path', () => {
    expect(matchesAny('lab1', ['lab'])).toBe(false);
    expect(matchesAny('my-lab', ['lab'])).toBe(false);
  });
});
