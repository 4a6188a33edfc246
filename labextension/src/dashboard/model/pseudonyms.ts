/**
 * Projector mode: how students are named on screen. Every view shows a student through
 * {@link studentLabel}, so one switch hides real names everywhere (the CSV export keeps real
 * ids, or its own server-side pseudonyms). Pure logic apart from the remembered choice.
 */

/** How names are shown: as they are, as stable pseudonyms, or by first name only. */
export type NameMode = 'off' | 'pseudonyms' | 'first-names';

/** The modes, in the order the toolbar offers them. */
export const NAME_MODES: readonly NameMode[] = [
  'off',
  'pseudonyms',
  'first-names'
];

/** Where the choice is remembered (per browser). */
export const NAME_MODE_KEY = 'progress-tracker:name-mode';

const ADJECTIVES = [
  'Amber',
  'Brave',
  'Calm',
  'Clever',
  'Curious',
  'Eager',
  'Gentle',
  'Happy',
  'Jolly',
  'Kind',
  'Lucky',
  'Merry',
  'Nimble',
  'Quiet',
  'Swift',
  'Witty'
];
const ANIMALS = [
  'Badger',
  'Beaver',
  'Crane',
  'Dolphin',
  'Falcon',
  'Fox',
  'Heron',
  'Koala',
  'Lynx',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Seal',
  'Tiger',
  'Wren'
];

/** FNV-1a, 32 bits: a stable, well-spread hash of an id (not a secret). */
export function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The pseudonym an id hashes to, before collisions are resolved, e.g. "Swift Otter". */
export function basePseudonym(id: string): string {
  const hash = hashId(id);
  const adjective = ADJECTIVES[hash % ADJECTIVES.length];
  const animal = ANIMALS[(hash >>> 8) % ANIMALS.length];
  return `${adjective} ${animal}`;
}

/** The first name of an id such as `ada.lovelace`, `ada_lovelace` or `Ada Lovelace`. */
export function firstName(id: string): string {
  const first = id.trim().split(/[._\s]+/)[0];
  return first ? first : id;
}

/**
 * Stable, distinct pseudonyms: an id keeps the one it was given first; two ids hashing to the
 * same name are told apart by a number ("Swift Otter 2"), given in the order they were seen.
 */
export class PseudonymBook {
  /** The pseudonym of `id`. */
  of(id: string): string {
    const known = this._byId.get(id);
    if (known !== undefined) {
      return known;
    }
    const base = basePseudonym(id);
    let name = base;
    for (let n = 2; this._taken.has(name); n++) {
      name = `${base} ${n}`;
    }
    this._byId.set(id, name);
    this._taken.add(name);
    return name;
  }

  private _byId = new Map<string, string>();
  private _taken = new Set<string>();
}

/** The minimal storage the mode is remembered in (`window.localStorage`). */
export interface IModeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The name mode, its listeners and the pseudonyms given so far. */
export class StudentNames {
  constructor(private readonly storage: IModeStorage | null = null) {
    const saved = safeGet(storage);
    this._mode = NAME_MODES.includes(saved as NameMode)
      ? (saved as NameMode)
      : 'off';
  }

  /** The current mode. */
  get mode(): NameMode {
    return this._mode;
  }

  /** Change the mode (remembered), and tell the listeners. */
  setMode(mode: NameMode): void {
    if (!NAME_MODES.includes(mode) || mode === this._mode) {
      return;
    }
    this._mode = mode;
    try {
      this.storage?.setItem(NAME_MODE_KEY, mode);
    } catch {
      // Storage full or refused (private browsing): the mode holds for this page.
    }
    this._listeners.forEach(listener => listener(mode));
  }

  /** Call `listener` on every mode change; returns a function that stops it. */
  onChange(listener: (mode: NameMode) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** How `student` is shown in the current mode. */
  label(student: string): string {
    switch (this._mode) {
      case 'pseudonyms':
        return this._pseudonyms.of(student);
      case 'first-names':
        return firstName(student);
      default:
        return student;
    }
  }

  private _mode: NameMode;
  private _pseudonyms = new PseudonymBook();
  private _listeners = new Set<(mode: NameMode) => void>();
}

function safeGet(storage: IModeStorage | null): string | null {
  try {
    return storage?.getItem(NAME_MODE_KEY) ?? null;
  } catch {
    return null;
  }
}

function browserStorage(): IModeStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The page's names: one mode for every view of every dashboard. */
export const studentNames = new StudentNames(browserStorage());

/** How a student is shown on screen, in the projector mode chosen. */
export function studentLabel(student: string): string {
  return studentNames.label(student);
}
