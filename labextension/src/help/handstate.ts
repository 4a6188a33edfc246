/**
 * A student's raised hand in one notebook, as the server's `GET api/v1/help/mine` tells it.
 * Pure logic, no DOM.
 */

/** Where the hand is: down, raised and waiting, or claimed by a member of staff. */
export type HandPhase = 'down' | 'raised' | 'claimed';

/** One notebook's hand. */
export interface IHandState {
  phase: HandPhase;
  /** Who is coming (the staff member who claimed it). */
  claimedBy: string | null;
  /**
   * Whether the server has listed the entry since it was raised: until then an answer
   * without it means the `help` event is still on its way, not that the hand was resolved.
   */
  seen: boolean;
}

/** The hand of a notebook nobody raised. */
export const HAND_DOWN: Readonly<IHandState> = {
  phase: 'down',
  claimedBy: null,
  seen: false
};

/** One of the student's open entries. */
export interface IMyEntry {
  id: number;
  notebook: string;
  assignment: string | null;
  state: 'waiting' | 'claimed';
  claimedBy: string | null;
}

/** Which notebook a hand is raised in: its assignment, or its path if it was never published. */
export interface IHandRef {
  path: string;
  assignmentId: string | null;
  /** The course of the published assignment (whose consent applies), else `null`. */
  course: string | null;
}

/** The entries of `GET api/v1/help/mine` (anything malformed is left out). */
export function parseMine(raw: unknown): IMyEntry[] {
  const entries = (raw as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) {
    return [];
  }
  return entries.filter(
    (e): e is IMyEntry =>
      typeof e?.id === 'number' &&
      typeof e?.notebook === 'string' &&
      (e.state === 'waiting' || e.state === 'claimed')
  );
}

/** The open entry of the notebook `ref`, if the server lists one. */
export function entryOf(
  entries: readonly IMyEntry[],
  ref: IHandRef
): IMyEntry | null {
  return (
    entries.find(e =>
      ref.assignmentId
        ? e.assignment === ref.assignmentId
        : !e.assignment && e.notebook === ref.path
    ) ?? null
  );
}

/** The hand once just raised from this page. */
export function raised(): IHandState {
  return { phase: 'raised', claimedBy: null, seen: false };
}

/**
 * The hand after the server's answer: claimed or waiting as its entry says; down once an
 * entry it listed before is gone (resolved by the staff, or lowered on another page).
 *
 * @param restoring - `true` for the answer read when the page opens: an entry there is a hand
 *   raised before the page was (re)loaded
 */
export function afterAnswer(
  state: Readonly<IHandState>,
  entry: IMyEntry | null,
  restoring = false
): IHandState {
  if (entry !== null && (state.phase !== 'down' || restoring)) {
    const claimed = entry.state === 'claimed';
    return {
      phase: claimed ? 'claimed' : 'raised',
      claimedBy: claimed ? entry.claimedBy : null,
      seen: true
    };
  }
  if (entry === null && state.phase !== 'down' && state.seen) {
    return { ...HAND_DOWN };
  }
  return { ...state };
}
