/**
 * The help queue the dashboard shows: hands raised by students (`GET api/v1/help` and the live
 * socket's `help` messages), the longest waiting first, then the students the "needing help"
 * rules infer ({@link needingHelp}), marked as inferred with their reasons. Pure logic, no DOM.
 */
import { parseTime } from './time';
import type { HelpReason, IHelpEntry } from './help';

/** A raised hand, as the server lists it. */
export interface IRaisedHand {
  id: number;
  student: string;
  course: string;
  notebook: string;
  assignment: string | null;
  cellId: string | null;
  message: string | null;
  raisedAt: string;
  state: 'waiting' | 'claimed' | 'resolved';
  claimedBy: string | null;
}

/** One line of the queue. */
export type QueueItem =
  | {
      kind: 'raised';
      hand: IRaisedHand;
      /** How long the student has waited, in ms. */
      waitingMs: number;
      /** What the rules also say about this student (shown with the hand). */
      reasons: HelpReason[];
    }
  | { kind: 'inferred'; entry: IHelpEntry };

/** A raised hand from the server's JSON; `null` when it is not one. */
export function parseHand(raw: unknown): IRaisedHand | null {
  const hand = raw as Partial<IRaisedHand> | null;
  if (
    !hand ||
    typeof hand.id !== 'number' ||
    typeof hand.student !== 'string' ||
    typeof hand.raisedAt !== 'string' ||
    !['waiting', 'claimed', 'resolved'].includes(hand.state as string)
  ) {
    return null;
  }
  return {
    id: hand.id,
    student: hand.student,
    course: String(hand.course ?? ''),
    notebook: String(hand.notebook ?? ''),
    assignment: hand.assignment ?? null,
    cellId: hand.cellId ?? null,
    message: hand.message ?? null,
    raisedAt: hand.raisedAt,
    state: hand.state as IRaisedHand['state'],
    claimedBy: hand.claimedBy ?? null
  };
}

/** The open hands of `GET api/v1/help`. */
export function parseQueue(raw: unknown): IRaisedHand[] {
  const entries = (raw as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries)
    ? entries
        .map(parseHand)
        .filter((h): h is IRaisedHand => h !== null && h.state !== 'resolved')
    : [];
}

/**
 * The hands after a change told live: a resolved one leaves, any other is added or replaced.
 */
export function applyHand(
  hands: readonly IRaisedHand[],
  changed: IRaisedHand
): IRaisedHand[] {
  const others = hands.filter(h => h.id !== changed.id);
  return changed.state === 'resolved' ? others : [...others, changed];
}

/**
 * The queue: raised hands, the longest waiting first (ties by id), each with the inferred
 * reasons of its student; then the inferred entries of students without a raised hand, in
 * the rules' order.
 */
export function mergeQueue(
  hands: readonly IRaisedHand[],
  inferred: readonly IHelpEntry[],
  now: number
): QueueItem[] {
  const reasons = new Map(inferred.map(e => [e.userId, e.reasons]));
  const raised = [...hands]
    .map(hand => {
      const at = parseTime(hand.raisedAt) ?? now;
      return { hand, at, waitingMs: Math.max(0, now - at) };
    })
    .sort((a, b) => a.at - b.at || a.hand.id - b.hand.id);
  const students = new Set(hands.map(h => h.student));
  return [
    ...raised.map(({ hand, waitingMs }): QueueItem => ({
      kind: 'raised',
      hand,
      waitingMs,
      reasons: reasons.get(hand.student) ?? []
    })),
    ...inferred
      .filter(e => !students.has(e.userId))
      .map((entry): QueueItem => ({ kind: 'inferred', entry }))
  ];
}
