import { handEvent, MAX_MESSAGE_CHARS } from '../hands';
import {
  afterAnswer,
  entryOf,
  HAND_DOWN,
  IMyEntry,
  parseMine,
  raised
} from '../handstate';

const waiting: IMyEntry = {
  id: 7,
  notebook: 'lab1.ipynb',
  assignment: null,
  state: 'waiting',
  claimedBy: null
};
const claimed: IMyEntry = { ...waiting, state: 'claimed', claimedBy: 'ta1' };

describe('a raised hand as the server tells it', () => {
  it('stays raised while the help event is on its way', () => {
    expect(afterAnswer(raised(), null)).toEqual(raised());
  });

  it('is waiting once listed, then shows who is coming once claimed', () => {
    const listed = afterAnswer(raised(), waiting);
    expect(listed).toEqual({ phase: 'raised', claimedBy: null, seen: true });
    expect(afterAnswer(listed, claimed)).toEqual({
      phase: 'claimed',
      claimedBy: 'ta1',
      seen: true
    });
  });

  it('goes down once a listed entry is resolved', () => {
    const listed = afterAnswer(raised(), claimed);
    expect(afterAnswer(listed, null)).toEqual(HAND_DOWN);
  });

  it('comes back up on a reloaded page, and only then from a stale answer', () => {
    expect(afterAnswer(HAND_DOWN, claimed, true).phase).toBe('claimed');
    expect(afterAnswer(HAND_DOWN, claimed)).toEqual(HAND_DOWN);
  });
});

describe('the entries of help/mine', () => {
  it('keeps well-formed open entries only', () => {
    const raw = {
      entries: [
        waiting,
        { id: 'x', notebook: 'a' },
        { ...waiting, state: 'resolved' }
      ]
    };
    expect(parseMine(raw)).toEqual([waiting]);
    expect(parseMine(null)).toEqual([]);
    expect(parseMine({ entries: 'no' })).toEqual([]);
  });

  it('finds a notebook by assignment, else by path of an unpublished one', () => {
    const inAssignment = { ...waiting, id: 8, assignment: 'a1', notebook: 'x' };
    const entries = [inAssignment, waiting];
    expect(
      entryOf(entries, {
        path: 'copy.ipynb',
        assignmentId: 'a1',
        course: 'cs101'
      })
    ).toBe(inAssignment);
    expect(
      entryOf(entries, { path: 'lab1.ipynb', assignmentId: null, course: null })
    ).toBe(waiting);
    expect(
      entryOf(entries, { path: 'x', assignmentId: null, course: null })
    ).toBeNull();
  });
});

describe('the events a hand sends', () => {
  const at = new Date('2026-12-01T10:00:00Z');

  it('raises on a cell with the message, within the server bound', () => {
    const ref = { path: 'copy.ipynb', assignmentId: 'a1', course: 'cs101' };
    const event = handEvent(
      'help',
      ref,
      at,
      'e1',
      'c3',
      `  ${'x'.repeat(600)} `
    );
    expect(event).toEqual({
      eventId: 'e1',
      eventType: 'help',
      eventTime: '2026-12-01T10:00:00.000Z',
      notebookPath: 'copy.ipynb',
      assignmentId: 'a1',
      cellId: 'c3',
      message: 'x'.repeat(MAX_MESSAGE_CHARS)
    });
  });

  it('lowers without a cell or message (an empty message is none)', () => {
    const ref = { path: 'lab1.ipynb', assignmentId: null, course: null };
    expect(handEvent('help_stop', ref, at, 'e2', null, '   ')).toEqual({
      eventId: 'e2',
      eventType: 'help_stop',
      eventTime: '2026-12-01T10:00:00.000Z',
      notebookPath: 'lab1.ipynb'
    });
  });
});
