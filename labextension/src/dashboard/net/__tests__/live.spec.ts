import { backoffDelay } from '../../../backoff';
import { LiveConnection, LiveStatus, liveSocketUrl } from '../live';
import { run } from '../../model/__tests__/fixtures';
import { FakeSocket } from './sockets';

describe('liveSocketUrl', () => {
  const settings = {
    wsUrl: 'ws://localhost:8888/user/ann/',
    token: 't/k',
    appendToken: true
  };

  it('builds the socket URL from wsUrl, with the token when JupyterLab appends it', () => {
    expect(liveSocketUrl(settings, null)).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws?token=t%2Fk'
    );
  });

  it('resumes after the last message of the feed the dashboard has', () => {
    expect(liveSocketUrl(settings, { feed: 'f 1', seq: 42 })).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws?feed=f%201&after=42&token=t%2Fk'
    );
  });

  it('subscribes to the notebook the dashboard shows', () => {
    expect(
      liveSocketUrl(
        settings,
        { feed: 'f', seq: 3 },
        { notebook: 'week 1/lab.ipynb' }
      )
    ).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws?feed=f&after=3&notebook=week%201%2Flab.ipynb&token=t%2Fk'
    );
  });

  it('subscribes to the assignment the dashboard shows', () => {
    expect(liveSocketUrl(settings, null, { assignment: 'a1b2' })).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws?assignment=a1b2&token=t%2Fk'
    );
  });

  it('leaves the token out when the settings say not to append it, or there is none', () => {
    expect(liveSocketUrl({ ...settings, appendToken: false }, null)).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws'
    );
    expect(
      liveSocketUrl(
        { wsUrl: 'wss://h', token: '', appendToken: true },
        { feed: 'f', seq: 0 }
      )
    ).toBe('wss://h/api/v1/ws?feed=f&after=0');
  });
});

describe('backoffDelay', () => {
  const options = { baseMs: 500, maxMs: 30_000 };

  it('doubles with each attempt, jittered between half and all of the step', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(250);
    expect(backoffDelay(0, options, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, options, () => 0)).toBe(2000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(3000);
  });

  it('never waits longer than the maximum', () => {
    expect(backoffDelay(20, options, () => 0.999999)).toBe(30_000);
    expect(backoffDelay(20, options, () => 0)).toBe(15_000);
  });
});

describe('LiveConnection', () => {
  let sockets: FakeSocket[];
  let received: string[];
  let statuses: LiveStatus[];
  let caughtUp: number;
  let resyncs: string[];
  let connection: LiveConnection;

  const events = (seq: number, ...ids: string[]) => ({
    type: 'events',
    seq,
    events: ids.map(eventId => run({ eventId }))
  });

  beforeEach(() => {
    jest.useFakeTimers();
    sockets = [];
    received = [];
    statuses = [];
    caughtUp = 0;
    resyncs = [];
    connection = new LiveConnection({
      url: from =>
        from ? `ws://h/ws?feed=${from.feed}&after=${from.seq}` : 'ws://h/ws',
      onEvents: batch => received.push(...batch.map(e => e.eventId)),
      onStatus: status => statuses.push(status),
      onCaughtUp: () => (caughtUp += 1),
      onResync: reason => resyncs.push(reason),
      createSocket: url => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      backoff: { baseMs: 1000, maxMs: 8000 },
      random: () => 0
    });
  });

  afterEach(() => {
    connection.stop();
    jest.useRealTimers();
  });

  it('resumes after the snapshot position and is live once the server has caught up', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    expect(sockets[0].url).toBe('ws://h/ws?feed=f1&after=10');
    sockets[0].open();
    expect(connection.status).toBe('catching-up');

    sockets[0].send(events(11, 'a', 'b'));
    sockets[0].send(events(12, 'c'));
    sockets[0].send({ type: 'caught_up', feed: 'f1', seq: 12 });
    sockets[0].send(events(13, 'd'));

    expect(received).toEqual(['a', 'b', 'c', 'd']);
    expect(connection.status).toBe('live');
    expect(connection.position).toEqual({ feed: 'f1', seq: 13 });
    expect(caughtUp).toBe(1);
  });

  it('follows from now without a position, and learns it from the server', () => {
    connection.follow(null);
    expect(sockets[0].url).toBe('ws://h/ws');
    sockets[0].open();
    sockets[0].send({ type: 'caught_up', feed: 'f2', seq: 7 });
    sockets[0].send(events(8, 'x'));
    expect(received).toEqual(['x']);
    expect(connection.position).toEqual({ feed: 'f2', seq: 8 });
  });

  it('on a subscribed socket, checks the message sent before instead of counting', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    sockets[0].open();
    sockets[0].send({ ...events(14, 'a'), prev: 10 }); // 11-13 were other notebooks'
    sockets[0].send({ type: 'caught_up', feed: 'f1', seq: 20 });
    sockets[0].send({ ...events(25, 'b'), prev: 20 });
    expect(received).toEqual(['a', 'b']);
    expect(connection.position).toEqual({ feed: 'f1', seq: 25 });

    sockets[0].send({ ...events(30, 'c'), prev: 27 }); // the one numbered 27 went missing
    expect(received).toEqual(['a', 'b']);
    expect(sockets[0].closed).toBe(true);
    jest.advanceTimersByTime(0);
    expect(sockets[1].url).toBe('ws://h/ws?feed=f1&after=25');
  });

  it('drops a message it already has', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    sockets[0].open();
    sockets[0].send(events(10, 'old'));
    sockets[0].send(events(11, 'new'));
    expect(received).toEqual(['new']);
  });

  it('reconnects from its last message at once when one is missing', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    sockets[0].open();
    sockets[0].send(events(11, 'a'));
    sockets[0].send(events(13, 'c')); // 12 went missing

    expect(received).toEqual(['a']);
    expect(sockets[0].closed).toBe(true);
    jest.advanceTimersByTime(0);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe('ws://h/ws?feed=f1&after=11');
  });

  it('hands a resync over, closes, and does not reconnect by itself', () => {
    connection.follow({ feed: 'old-feed', seq: 10 });
    sockets[0].open();
    sockets[0].send({ type: 'resync', reason: 'the live feed started again' });

    expect(resyncs).toEqual(['the live feed started again']);
    expect(sockets[0].closed).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reconnects after a drop, from the last message, with a growing delay', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    sockets[0].open();
    sockets[0].send(events(11, 'a'));

    sockets[0].drop();
    expect(connection.status).toBe('reconnecting');
    jest.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe('ws://h/ws?feed=f1&after=11');

    sockets[1].drop();
    jest.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
  });

  it('starts the delays over after the server delivered again', () => {
    connection.follow({ feed: 'f1', seq: 10 });
    sockets[0].drop();
    jest.advanceTimersByTime(500);
    sockets[1].drop();
    jest.advanceTimersByTime(1000);
    sockets[2].open();
    sockets[2].send({ type: 'caught_up', feed: 'f1', seq: 10 });

    sockets[2].drop();
    jest.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
  });

  it('ignores messages that are not JSON', () => {
    connection.follow(null);
    sockets[0].open();
    sockets[0].onmessage?.({ data: 'not json' });
    expect(received).toEqual([]);
  });

  it('closes the socket and stops reconnecting when stopped', () => {
    connection.follow(null);
    sockets[0].open();
    connection.stop();

    expect(sockets[0].closed).toBe(true);
    expect(connection.status).toBe('stopped');
    jest.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses[statuses.length - 1]).toBe('stopped');
  });
});
