import { PresenceBook } from '../presence';
import { OwnCellsBook } from '../owncells';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const event = (eventType: string, seconds: number, userId = 'ada') => ({
  eventType,
  eventTime: at(seconds),
  userId
});

describe('presence: who has the notebook open now', () => {
  it('is open from an open, kept by heartbeats, and closed by a close', () => {
    const book = new PresenceBook();
    book.apply(event('notebook_opened', 0));
    expect(book.view('ada', T0 + 1000)?.open).toBe(true);
    book.apply(event('notebook_heartbeat', 60));
    expect(book.view('ada', T0 + 150_000)?.open).toBe(true);
    book.apply(event('notebook_closed', 90));
    expect(book.view('ada', T0 + 91_000)?.open).toBe(false);
  });

  it('ends two heartbeat intervals after the last sign of life (a browser gone away)', () => {
    const book = new PresenceBook();
    book.setHeartbeat({ heartbeatSeconds: 30 });
    book.apply(event('notebook_heartbeat', 0));
    expect(book.view('ada', T0 + 60_000)?.open).toBe(true);
    expect(book.view('ada', T0 + 60_001)?.open).toBe(false);
  });

  it('is open again after a close when a later heartbeat comes (another tab)', () => {
    const book = new PresenceBook();
    book.apply(event('notebook_closed', 10));
    book.apply(event('notebook_heartbeat', 5)); // older than the close
    expect(book.view('ada', T0 + 11_000)?.open).toBe(false);
    book.apply(event('notebook_heartbeat', 20));
    expect(book.view('ada', T0 + 21_000)?.open).toBe(true);
  });

  it('keeps the first open and the last save, whatever order they arrive in', () => {
    const book = new PresenceBook();
    book.apply(event('notebook_opened', 100));
    book.apply(event('notebook_saved', 300));
    book.apply(event('notebook_opened', 50));
    book.apply(event('notebook_saved', 200));
    expect(book.view('ada', T0)).toMatchObject({
      firstOpened: at(50),
      lastSaved: at(300)
    });
  });

  it("starts from the snapshot's presence", () => {
    const book = new PresenceBook();
    book.load({
      ada: {
        open: true,
        lastSeen: at(0),
        firstOpened: at(-600),
        lastSaved: null
      },
      ben: {
        open: false,
        lastSeen: at(0),
        firstOpened: at(-60),
        lastSaved: at(-5)
      },
      cleo: { open: true, lastSeen: null, firstOpened: null, lastSaved: null }
    });
    expect(book.view('ada', T0 + 1000)).toEqual({
      open: true,
      firstOpened: at(-600),
      lastSaved: null
    });
    expect(book.view('ben', T0 + 1000)?.open).toBe(false);
    expect(book.view('cleo', T0 + 1e9)?.open).toBe(true);
    expect(book.view('dan', T0)).toBeUndefined();
    book.apply(event('notebook_heartbeat', 0, 'ben')); // no later than the snapshot's close
    expect(book.view('ben', T0 + 1000)?.open).toBe(false);
  });

  it('ignores other events and keeps the default interval for a malformed setting', () => {
    const book = new PresenceBook();
    expect(book.apply(event('cell_executed', 0))).toBe(false);
    expect(book.view('ada', T0)).toBeUndefined();
    book.setHeartbeat({ heartbeatSeconds: 'soon' });
    book.setHeartbeat(null);
    expect(book.heartbeatMs).toBe(60_000);
  });
});

describe("a student's own cells", () => {
  it('start from the snapshot and count live runs and errors', () => {
    const book = new OwnCellsBook();
    book.load({ ada: { runs: 3, errors: 1 }, ben: { runs: 0, errors: 0 } });
    expect(book.of('ada')).toEqual({ runs: 3, errors: 1 });
    expect(book.of('ben')).toBeUndefined();
    book.countRun('ben', true);
    book.countRun('ben', false);
    expect(book.of('ben')).toEqual({ runs: 2, errors: 1 });
  });

  it('ignore malformed counts', () => {
    const book = new OwnCellsBook();
    book.load({ ada: { runs: -1, errors: NaN } } as never);
    expect(book.of('ada')).toBeUndefined();
  });
});
