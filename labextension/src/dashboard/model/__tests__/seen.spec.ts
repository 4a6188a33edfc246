import { SeenIds } from '../seen';

describe('SeenIds', () => {
  it('tells new ids from known ones', () => {
    const seen = new SeenIds();
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(false);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const seen = new SeenIds(2);
    seen.add('a');
    seen.add('b');
    seen.add('c');
    expect(seen.has('a')).toBe(false);
    expect(seen.has('c')).toBe(true);
    expect(seen.size).toBe(2);
  });
});
