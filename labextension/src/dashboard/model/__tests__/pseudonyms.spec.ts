/**
 * Projector mode: pseudonyms are stable and distinct, first names are the part before the
 * first separator, and the choice is remembered.
 */
import {
  basePseudonym,
  firstName,
  NAME_MODE_KEY,
  PseudonymBook,
  StudentNames
} from '../pseudonyms';

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const CLASS = Array.from({ length: 200 }, (_, i) => `student${i}`);

describe('pseudonyms', () => {
  it('are the same for a student every time, in every book', () => {
    const one = new PseudonymBook();
    const other = new PseudonymBook();
    expect(one.of('ada.lovelace')).toBe(one.of('ada.lovelace'));
    expect(one.of('ada.lovelace')).toBe(other.of('ada.lovelace'));
    expect(one.of('ada.lovelace')).toBe(basePseudonym('ada.lovelace'));
  });

  it('are distinct across a class of 200, collisions numbered', () => {
    const book = new PseudonymBook();
    const names = CLASS.map(id => book.of(id));
    expect(new Set(names).size).toBe(CLASS.length);
    // With 256 base names, a class of 200 has collisions: they get a number.
    expect(names.some(name => /\s\d+$/.test(name))).toBe(true);
    // Asking again gives the same, numbered or not.
    expect(CLASS.map(id => book.of(id))).toEqual(names);
  });

  it('never contain the real id', () => {
    const book = new PseudonymBook();
    for (const id of ['alice', 'bob.smith']) {
      expect(book.of(id).toLowerCase()).not.toContain(id.split('.')[0]);
      expect(book.of(id)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
  });
});

describe('first names', () => {
  it('are the part before the first dot, underscore or space', () => {
    expect(firstName('ada.lovelace')).toBe('ada');
    expect(firstName('grace_hopper')).toBe('grace');
    expect(firstName('Alan Turing')).toBe('Alan');
    expect(firstName('linus')).toBe('linus');
  });

  it('keep an id made only of separators', () => {
    expect(firstName('._')).toBe('._');
  });
});

describe('the name mode', () => {
  it('is off by default: names as they are', () => {
    const names = new StudentNames(new MemoryStorage());
    expect(names.mode).toBe('off');
    expect(names.label('ada.lovelace')).toBe('ada.lovelace');
  });

  it('shows pseudonyms or first names, and tells its listeners', () => {
    const names = new StudentNames(new MemoryStorage());
    const seen: string[] = [];
    const stop = names.onChange(mode => seen.push(mode));
    names.setMode('pseudonyms');
    expect(names.label('ada.lovelace')).toBe(basePseudonym('ada.lovelace'));
    names.setMode('first-names');
    expect(names.label('ada.lovelace')).toBe('ada');
    stop();
    names.setMode('off');
    expect(seen).toEqual(['pseudonyms', 'first-names']);
  });

  it('is remembered in storage, and a bad stored value is ignored', () => {
    const storage = new MemoryStorage();
    new StudentNames(storage).setMode('pseudonyms');
    expect(storage.getItem(NAME_MODE_KEY)).toBe('pseudonyms');
    expect(new StudentNames(storage).mode).toBe('pseudonyms');
    storage.setItem(NAME_MODE_KEY, 'everyone');
    expect(new StudentNames(storage).mode).toBe('off');
  });

  it('holds for the page when storage refuses it', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      }
    };
    const names = new StudentNames(refusing);
    names.setMode('first-names');
    expect(names.label('ada_l')).toBe('ada');
  });
});
