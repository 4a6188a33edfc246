import { isTemporaryFailure, RoleLookup } from '../role';
import type { IMe } from '../../types';

const INSTRUCTOR: IMe = {
  userId: 'teacher',
  isInstructor: true,
  mode: 'embedded'
};

/** A failed request as `ServerConnection.ResponseError` reports it. */
function refused(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { response: { status } });
}

/** `fetchMe` answering `answer(callTime)`: an error rejects, anything else resolves. */
function server(answer: (at: number) => IMe | Error) {
  const calls: number[] = [];
  const fetchMe = async (): Promise<IMe> => {
    const at = Date.now();
    calls.push(at);
    const answered = answer(at);
    if (answered instanceof Error) {
      throw answered;
    }
    return answered;
  };
  return { fetchMe, calls };
}

const quiet = { warn: () => undefined };

describe('RoleLookup', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    // The middle of each jittered delay.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('asks the server in the background and tells who the user is', async () => {
    const me = server(() => INSTRUCTOR);
    const lookup = new RoleLookup({ fetchMe: me.fetchMe });
    // Nothing is asked while the plugin activates.
    expect(me.calls).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(100);
    await expect(lookup.known).resolves.toEqual(INSTRUCTOR);
    expect(me.calls).toHaveLength(1);
    expect(lookup.isDisposed).toBe(true);
  });

  it('asks again, less and less often, while the server cannot answer', async () => {
    const start = Date.now();
    const failures = [
      new TypeError('Failed to fetch'),
      refused(502),
      refused(429)
    ];
    // Unreachable for 20 s, then it answers.
    const me = server(at =>
      at - start < 20_000 ? failures[(at - start) % 3] : INSTRUCTOR
    );
    const lookup = new RoleLookup({
      fetchMe: me.fetchMe,
      retry: { interval: 1000, max: 60_000 }
    });
    let known: IMe | null | undefined;
    void lookup.known.then(answer => (known = answer));

    await jest.advanceTimersByTimeAsync(19_000);
    expect(known).toBeUndefined();
    // Not once a second: the delays grow.
    expect(me.calls.length).toBeGreaterThan(2);
    expect(me.calls.length).toBeLessThan(10);
    const gaps = me.calls.slice(1).map((at, i) => at - me.calls[i]);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0]);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(known).toEqual(INSTRUCTOR);
  });

  it('gives up, with no role, when the server refuses to say', async () => {
    const me = server(() => refused(404));
    const lookup = new RoleLookup({ fetchMe: me.fetchMe, logger: quiet });

    await jest.advanceTimersByTimeAsync(100);
    await expect(lookup.known).resolves.toBeNull();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(me.calls).toHaveLength(1);
  });

  it('tells temporary failures from refusals', () => {
    expect(isTemporaryFailure(new TypeError('Failed to fetch'))).toBe(true);
    expect(isTemporaryFailure(refused(503))).toBe(true);
    expect(isTemporaryFailure(refused(429))).toBe(true);
    expect(isTemporaryFailure(refused(408))).toBe(true);
    expect(isTemporaryFailure(refused(403))).toBe(false);
    expect(isTemporaryFailure(refused(404))).toBe(false);
  });
});
