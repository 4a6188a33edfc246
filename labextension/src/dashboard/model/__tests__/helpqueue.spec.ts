import type { IHelpEntry } from '../help';
import {
  applyHand,
  IRaisedHand,
  mergeQueue,
  parseHand,
  parseQueue
} from '../helpqueue';

const NOW = Date.parse('2026-12-01T10:10:00Z');

function hand(id: number, student: string, raisedAt: string): IRaisedHand {
  return {
    id,
    student,
    course: 'cs101',
    notebook: 'lab1.ipynb',
    assignment: null,
    cellId: 'c2',
    message: null,
    raisedAt,
    state: 'waiting',
    claimedBy: null
  };
}

function inferred(userId: string): IHelpEntry {
  return {
    userId,
    reasons: [{ kind: 'errors', cellId: 'c2', errors: 4 }],
    currentCellId: 'c2',
    lastError: 'NameError'
  };
}

describe('the help queue', () => {
  it('lists raised hands the longest waiting first, with how long', () => {
    const queue = mergeQueue(
      [
        hand(2, 'bo', '2026-12-01T10:05:00Z'),
        hand(1, 'al', '2026-12-01T10:01:00Z'),
        hand(3, 'cy', '2026-12-01T10:05:00Z')
      ],
      [],
      NOW
    );
    expect(queue.map(i => (i.kind === 'raised' ? i.hand.id : null))).toEqual([
      1, 2, 3
    ]);
    expect(queue[0].kind === 'raised' && queue[0].waitingMs).toBe(9 * 60_000);
  });

  it('puts inferred students after the hands, marked, never twice', () => {
    const queue = mergeQueue(
      [hand(1, 'al', '2026-12-01T10:01:00Z')],
      [inferred('zed'), inferred('al')],
      NOW
    );
    expect(queue.map(i => i.kind)).toEqual(['raised', 'inferred']);
    const [first, second] = queue;
    expect(first.kind === 'raised' && first.reasons).toEqual(
      inferred('al').reasons
    );
    expect(second.kind === 'inferred' && second.entry.userId).toBe('zed');
  });

  it('follows live changes: a claim replaces, a resolution removes', () => {
    const hands = [hand(1, 'al', '2026-12-01T10:01:00Z')];
    const claimed = { ...hands[0], state: 'claimed' as const, claimedBy: 'ta' };
    expect(applyHand(hands, claimed)).toEqual([claimed]);
    expect(applyHand([claimed], { ...claimed, state: 'resolved' })).toEqual([]);
    const other = hand(2, 'bo', '2026-12-01T10:02:00Z');
    expect(applyHand(hands, other)).toEqual([hands[0], other]);
  });

  it('reads only well-formed open entries', () => {
    const ok = hand(1, 'al', '2026-12-01T10:01:00Z');
    const raw = {
      entries: [ok, { id: 'x' }, { ...ok, id: 2, state: 'resolved' }, null]
    };
    expect(parseQueue(raw)).toEqual([ok]);
    expect(parseQueue({})).toEqual([]);
    expect(parseHand({ ...ok, state: 'lost' })).toBeNull();
  });
});
