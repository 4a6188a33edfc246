import { backoffDelay } from '../../../backoff';
import {
  LiveConnection,
  LiveStatus,
  liveSocketUrl,
  ReplayFilter
} from '../live';
import { ILiveEvent } from '../../types';
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

  it('asks for the events since the last one known', () => {
    expect(liveSocketUrl(settings, 'e 1')).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws?since=e%201&token=t%2Fk'
    );
  });

  it('leaves the token out when the settings say not to append it, or there is none', () => {
    expect(liveSocketUrl({ ...settings, appendToken: false }, null)).toBe(
      'ws://localhost:8888/user/ann/api/v1/ws'
    );
    expect(
      liveSocketUrl({ wsUrl: 'wss://h', token: '', appendToken: true }, 'x')
    ).toBe('wss://h/api/v1/ws?since=x');
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
  let received: ILiveEvent[];
  let statuses: LiveStatus[];
  let since: string | null;
  let caughtUp: number;
  let resyncs: number;
  let connection: LiveConnection;

  beforeEach(() => {
    jest.useFakeTimers();
    sockets = [];
    received = [];
    statuses = [];
    since = 'e-10';
    caughtUp = 0;
    resyncs = 0;
    connection = new LiveConnection({
      url: s => `ws://h/api/v1/ws?since=${s}`,
      since: () => since,
      onEvents: events => received.push(...events),
      onStatus: status => statuses.push(status),
      onCaughtUp: () => (caughtUp += 1),
      onResync: () => (resyncs += 1),
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

  it('connects from the last event known and is live once the server has caught up', () => {
    connection.start();
    expect(sockets[0].url).toBe('ws://h/api/v1/ws?since=e-10');

    sockets[0].open();
    expect(connection.status).toBe('catching-up');

    sockets[0].send({
      type: 'events',
      events: [
        run({ eventId: 'e-9' }),
        run({ eventId: 'e-10' }),
        run({ eventId: 'e-11' })
      ]
    });
    sockets[0].send({ type: 'events', events: [run({ eventId: 'e-12' })] });
    sockets[0].send({ type: 'caught_up', lastEventId: 'e-12' });

    expect(received.map(e => e.eventId)).toEqual(['e-11', 'e-12']);
    expect(connection.status).toBe('live');
    expect(caughtUp).toBe(1);
    expect(resyncs).toBe(0);
  });

  it('asks for a new snapshot when the replay does not contain the last event known', () => {
    connection.start();
    sockets[0].open();
    sockets[0].send({ type: 'events', events: [run({ eventId: 'e-30' })] });
    sockets[0].send({ type: 'caught_up', lastEventId: 'e-30' });

    expect(received).toEqual([]);
    expect(resyncs).toBe(1);
  });

  it('asks for a new snapshot when the server says the replay is incomplete', () => {
    connection.start();
    sockets[0].open();
    sockets[0].send({ type: 'events', events: [run({ eventId: 'e-10' })] });
    sockets[0].send({
      type: 'caught_up',
      lastEventId: 'e-10',
      complete: false
    });

    expect(resyncs).toBe(1);
  });

  it('asks for a new snapshot when the server cannot resume from the last event', () => {
    connection.start();
    sockets[0].open();
    sockets[0].send({ type: 'resync', reason: "unknown event 'e-10'" });

    expect(resyncs).toBe(1);
  });

  it('passes live events through untouched once caught up', () => {
    connection.start();
    sockets[0].open();
    sockets[0].send({ type: 'events', events: [run({ eventId: 'e-10' })] });
    sockets[0].send({ type: 'caught_up', lastEventId: 'e-10' });
    sockets[0].send({ type: 'events', events: [run({ eventId: 'e-3' })] });

    expect(received.map(e => e.eventId)).toEqual(['e-3']);
  });

  it('is live as soon as it opens when there is nothing to catch up', () => {
    since = null;
    connection.start();
    sockets[0].open();
    expect(connection.status).toBe('live');
  });

  it('reconnects after a drop, from the new last event, with a growing delay', () => {
    connection.start();
    sockets[0].open();
    since = 'e-20';

    sockets[0].drop();
    expect(connection.status).toBe('reconnecting');
    jest.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe('ws://h/api/v1/ws?since=e-20');

    sockets[1].drop();
    jest.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
  });

  it('starts the delays over after the server delivered again', () => {
    connection.start();
    sockets[0].drop();
    jest.advanceTimersByTime(500);
    sockets[1].drop();
    jest.advanceTimersByTime(1000);
    sockets[2].open();
    sockets[2].send({ type: 'events', events: [run({ eventId: 'e-10' })] });
    sockets[2].send({ type: 'caught_up', lastEventId: 'e-10' });

    sockets[2].drop();
    jest.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
  });

  it('ignores messages that are not JSON', () => {
    connection.start();
    sockets[0].open();
    sockets[0].onmessage?.({ data: 'not json' });
    expect(received).toEqual([]);
  });

  it('closes the socket and stops reconnecting when stopped', () => {
    connection.start();
    sockets[0].open();
    connection.stop();

    expect(sockets[0].closed).toBe(true);
    expect(connection.status).toBe('stopped');
    jest.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(statuses[statuses.length - 1]).toBe('stopped');
  });
});

describe('ReplayFilter', () => {
  it('drops a replay up to and including the last event known, and keeps what follows', () => {
    const filter = new ReplayFilter('b');
    const ids = (events: ReturnType<typeof run>[]): string[] =>
      events.map(e => e.eventId);

    expect(ids(filter.accept([run({ eventId: 'a' })]))).toEqual([]);
    expect(filter.found).toBe(false);
    expect(
      ids(filter.accept([run({ eventId: 'b' }), run({ eventId: 'c' })]))
    ).toEqual(['c']);
    expect(filter.found).toBe(true);
    expect(ids(filter.accept([run({ eventId: 'a' })]))).toEqual(['a']);
  });
});
