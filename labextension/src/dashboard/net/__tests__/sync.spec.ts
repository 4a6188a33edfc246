import { snapshot, student, cell, run } from '../../model/__tests__/fixtures';
import type { Selection } from '../../model/picker';
import type { IProgressSnapshot } from '../../types';
import { ProgressSync } from '../sync';
import { FakeSocket } from './sockets';

const SETTINGS = {
  wsUrl: 'ws://localhost:8888/',
  token: '',
  appendToken: false
};

/** A ProgressSync on a scripted API, fake sockets and frames the test runs. */
function setup(...answers: IProgressSnapshot[]) {
  const asked: Array<Selection | null> = [];
  const sockets: FakeSocket[] = [];
  const frames: Array<() => void> = [];
  const sync = new ProgressSync({
    client: {
      serverSettings: SETTINGS as any,
      progress: async selection => {
        asked.push(selection);
        return answers[Math.min(asked.length, answers.length) - 1];
      }
    },
    createSocket: url => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    requestFrame: callback => frames.push(callback)
  });
  const nextFrame = () => frames.splice(0).forEach(callback => callback());
  return { sync, asked, sockets, nextFrame };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('ProgressSync', () => {
  it('loads the snapshot, then follows the live feed from the position it carries', async () => {
    const { sync, sockets } = setup(
      snapshot([student('alice', { c1: cell() })])
    );
    const loaded = jest.fn();
    sync.loaded.connect(loaded);

    await sync.load(null);
    expect(loaded).toHaveBeenCalledTimes(1);
    expect(sync.model.student('alice')).toBeDefined();
    expect(sockets).toHaveLength(1);
    expect(sockets[0].url).toBe(
      'ws://localhost:8888/api/v1/ws?feed=f1&after=10&notebook=lab1.ipynb'
    );
    sync.dispose();
  });

  it('applies the live events of a frame at once', async () => {
    const { sync, sockets, nextFrame } = setup(
      snapshot([], { lastEventId: null })
    );
    const changes: number[] = [];
    sync.changed.connect((_, result) => changes.push(result.applied));
    await sync.load(null);
    sockets[0].open();

    sockets[0].send({
      type: 'events',
      seq: 11,
      events: [run({ userId: 'bob' })]
    });
    sockets[0].send({
      type: 'events',
      seq: 12,
      events: [run({ userId: 'cleo' })]
    });
    expect(changes).toEqual([]);
    nextFrame();
    expect(changes).toEqual([2]);
    expect(sync.model.students.map(s => s.userId)).toEqual(['bob', 'cleo']);
    sync.dispose();
  });

  it("loads the snapshot of the class's first notebook when its first activity arrives", async () => {
    const empty = snapshot([], {
      notebook: null,
      notebooks: [],
      lastEventId: null
    });
    const { sync, sockets, nextFrame, asked } = setup(
      empty,
      snapshot([student('alice')])
    );
    await sync.load(null);
    sockets[0].open();

    sockets[0].send({
      type: 'events',
      seq: 11,
      events: [run({ userId: 'alice' })]
    });
    nextFrame();
    await settle();
    expect(asked).toEqual([null, null]);
    expect(sync.model.notebook).toBe('lab1.ipynb');
    sync.dispose();
  });

  it('reloads the snapshot on a resync and follows from its new position', async () => {
    const { sync, sockets, asked } = setup(
      snapshot([], { liveFeed: 'old', liveSeq: 3 }),
      snapshot([student('alice')], { liveFeed: 'new', liveSeq: 40 })
    );
    await sync.load(null);
    sockets[0].open();

    sockets[0].send({ type: 'resync', reason: 'the live feed started again' });
    await settle();
    expect(asked).toHaveLength(2);
    expect(sync.model.student('alice')).toBeDefined();
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe(
      'ws://localhost:8888/api/v1/ws?feed=new&after=40&notebook=lab1.ipynb'
    );
    sync.dispose();
  });

  it('reloads later and later when resyncs follow each other, never in a loop', async () => {
    jest.useFakeTimers();
    const { sync, sockets, asked } = setup(snapshot([]));
    await sync.load(null);
    const resync = async (index: number) => {
      sockets[index].open();
      sockets[index].send({ type: 'resync', reason: 'fell behind' });
    };

    await resync(0);
    jest.advanceTimersByTime(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toHaveLength(2);

    await resync(1);
    jest.advanceTimersByTime(499); // the second waits half a second or more
    expect(asked).toHaveLength(2);
    jest.advanceTimersByTime(501);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toHaveLength(3);

    // Once the server caught up, the next resync is handled at once again.
    sockets[2].open();
    sockets[2].send({ type: 'caught_up', feed: 'f1', seq: 10 });
    sockets[2].send({ type: 'resync', reason: 'fell behind' });
    jest.advanceTimersByTime(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toHaveLength(4);
    sync.dispose();
    jest.useRealTimers();
  });

  it('keeps its place after a drop: the reconnection asks for what followed', async () => {
    jest.useFakeTimers();
    const { sync, sockets, nextFrame } = setup(snapshot([]));
    await sync.load(null);
    sockets[0].open();
    sockets[0].send({ type: 'caught_up', feed: 'f1', seq: 10 });
    sockets[0].send({
      type: 'events',
      seq: 11,
      events: [run({ userId: 'bob' })]
    });
    nextFrame();
    sockets[0].drop();
    jest.advanceTimersByTime(60_000);
    expect(sockets[1].url).toBe(
      'ws://localhost:8888/api/v1/ws?feed=f1&after=11&notebook=lab1.ipynb'
    );
    expect(sync.position).toEqual({ feed: 'f1', seq: 11 });
    sync.dispose();
    jest.useRealTimers();
  });

  it('reports a snapshot that cannot be loaded', async () => {
    const failures: unknown[] = [];
    const sync = new ProgressSync({
      client: {
        serverSettings: SETTINGS as any,
        progress: async () => {
          throw new Error('Bad gateway');
        }
      }
    });
    sync.loadFailed.connect((_, reason) => failures.push(reason));
    await sync.load({ notebook: 'lab1.ipynb' });
    expect(failures).toEqual([new Error('Bad gateway')]);
    sync.dispose();
  });

  it('reloads an assignment by its id, whatever its students call their copies', async () => {
    const { sync, sockets, asked } = setup(
      snapshot([], {
        notebook: 'labs/lab1.ipynb',
        assignment: { id: 'a1', course: 'cs101', title: 'Lab 1', version: 2 },
        columns: []
      })
    );
    await sync.load({ assignment: 'a1' });
    sockets[0].open();
    sockets[0].send({ type: 'resync' });
    await settle();
    expect(asked).toEqual([{ assignment: 'a1' }, { assignment: 'a1' }]);
    sync.dispose();
  });
});
