import { Outbox, outboxStorageKey } from '..';
import {
  FakeClock,
  MemoryStorage,
  RecordingLogger,
  ScriptedTransport
} from '../../__tests__/fakes';

interface ITestEvent {
  eventId: string;
  payload?: string;
}

const KEY = outboxStorageKey('/user/alice/');

function event(id: string, payload?: string): ITestEvent {
  return payload === undefined ? { eventId: id } : { eventId: id, payload };
}

function ids(count: number, prefix = 'e'): ITestEvent[] {
  return Array.from({ length: count }, (_, i) => event(`${prefix}${i + 1}`));
}

function setup(
  options: Partial<ConstructorParameters<typeof Outbox<ITestEvent>>[0]> = {}
) {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const transport = new ScriptedTransport<ITestEvent>();
  const logger = new RecordingLogger();
  const make = (
    overrides: Partial<ConstructorParameters<typeof Outbox<ITestEvent>>[0]> = {}
  ) =>
    new Outbox<ITestEvent>({
      storageKey: KEY,
      storage,
      transport,
      clock,
      logger,
      random: () => 0,
      maxBatchEvents: 10,
      flushIntervalMs: 2000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      ...options,
      ...overrides
    });
  const outbox = make();
  const stored = (): string[] =>
    JSON.parse(storage.getItem(KEY) ?? '[]').map(
      (item: ITestEvent) => item.eventId
    );
  return { clock, storage, transport, logger, outbox, make, stored };
}

describe('Outbox', () => {
  describe('batching', () => {
    it('stores an event as soon as it is added, before anything is sent', () => {
      const { outbox, transport, stored } = setup();
      outbox.add(event('e1'));
      expect(stored()).toEqual(['e1']);
      expect(transport.requests).toHaveLength(0);
    });

    it('sends the events of one flush interval together, in capture order', async () => {
      const { outbox, transport, clock, stored } = setup();
      outbox.add(event('e1'));
      await clock.advance(500);
      outbox.add(event('e2'));
      outbox.add(event('e3'));
      await clock.advance(1499);
      expect(transport.requests).toHaveLength(0);

      await clock.advance(1);
      expect(transport.sentIds()).toEqual([['e1', 'e2', 'e3']]);
      expect(stored()).toEqual([]);
    });

    it('sends a batch at once when maxBatchEvents events wait', async () => {
      const { outbox, transport, clock } = setup({ maxBatchEvents: 3 });
      ids(7).forEach(item => outbox.add(item));
      await clock.advance(0);
      expect(transport.sentIds()).toEqual([
        ['e1', 'e2', 'e3'],
        ['e4', 'e5', 'e6']
      ]);

      await clock.advance(2000);
      expect(transport.sentIds()[2]).toEqual(['e7']);
    });

    it('captures every event of a burst such as "run all"', async () => {
      const { outbox, transport, clock, stored } = setup({
        maxBatchEvents: 25
      });
      ids(200).forEach(item => outbox.add(item));
      await clock.advance(5000);
      const sent = transport.sentIds().flat();
      expect(sent).toEqual(ids(200).map(item => item.eventId));
      expect(transport.requests.every(r => r.events.length <= 25)).toBe(true);
      expect(stored()).toEqual([]);
    });

    it('ignores an event it already holds (same eventId)', async () => {
      const { outbox, transport, clock } = setup();
      outbox.add(event('e1'));
      outbox.add(event('e1'));
      await clock.advance(2000);
      expect(transport.sentIds()).toEqual([['e1']]);
    });

    it('applies a new batch size and interval from configure()', async () => {
      const { outbox, transport, clock } = setup();
      outbox.configure({ maxBatchEvents: 2, flushIntervalMs: 100 });
      ids(3).forEach(item => outbox.add(item));
      await clock.advance(0);
      expect(transport.sentIds()).toEqual([['e1', 'e2']]);
      await clock.advance(100);
      expect(transport.sentIds()).toEqual([['e1', 'e2'], ['e3']]);
    });
  });

  describe('retries', () => {
    it('keeps the batch and retries with exponential backoff after 5xx answers', async () => {
      const { outbox, transport, clock, stored } = setup();
      transport.answer(500, 503, 502);
      outbox.add(event('e1'));
      await clock.advance(2000);
      expect(transport.requests).toHaveLength(1);

      // random() = 0: the lower end of each jittered delay, 0.5 s, 1 s, 2 s.
      await clock.advance(499);
      expect(transport.requests).toHaveLength(1);
      await clock.advance(1);
      expect(transport.requests).toHaveLength(2);
      await clock.advance(999);
      expect(transport.requests).toHaveLength(2);
      await clock.advance(1);
      expect(transport.requests).toHaveLength(3);
      expect(stored()).toEqual(['e1']);

      await clock.advance(2000);
      expect(transport.requests).toHaveLength(4);
      expect(transport.sentIds()).toEqual([['e1'], ['e1'], ['e1'], ['e1']]);
      expect(stored()).toEqual([]);
    });

    it('retries after network failures until the server is back', async () => {
      const { outbox, transport, clock, stored } = setup();
      transport.answer('network', 'network');
      outbox.add(event('e1'));
      await clock.advance(2000 + 500 + 1000);
      expect(transport.sentIds()).toEqual([['e1'], ['e1'], ['e1']]);
      expect(stored()).toEqual([]);
    });

    it.each([408, 429])('retries after HTTP %i', async status => {
      const { outbox, transport, clock, stored } = setup();
      transport.answer(status);
      outbox.add(event('e1'));
      await clock.advance(2500);
      expect(transport.sentIds()).toEqual([['e1'], ['e1']]);
      expect(stored()).toEqual([]);
    });

    it('waits at least as long as Retry-After says', async () => {
      const { outbox, transport, clock } = setup();
      transport.answer({ status: 503, retryAfterMs: 30_000 });
      outbox.add(event('e1'));
      await clock.advance(2000);
      await clock.advance(29_999);
      expect(transport.requests).toHaveLength(1);
      await clock.advance(1);
      expect(transport.requests).toHaveLength(2);
    });

    it('spreads retries with jitter and caps the delay', async () => {
      const { outbox, transport, clock } = setup({
        random: () => 0.999,
        backoff: { baseMs: 1000, maxMs: 4000 }
      });
      transport.answer(503, 503, 503, 503);
      outbox.add(event('e1'));
      await clock.advance(2000);
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        delays.push(clock.nextTimerIn() ?? -1);
        await clock.advance(clock.nextTimerIn() ?? 0);
      }
      // Upper end of each jittered delay: caps of 1 s, 2 s, 4 s, then 4 s again.
      expect(delays).toEqual([1000, 1999, 3998, 3998]);
    });

    it('does not hold new events back while it waits before a retry', async () => {
      const { outbox, transport, clock, stored } = setup();
      transport.answer(503);
      outbox.add(event('e1'));
      await clock.advance(2000);
      outbox.add(event('e2'));
      await clock.advance(500);
      expect(transport.sentIds()).toEqual([['e1'], ['e1', 'e2']]);
      expect(stored()).toEqual([]);
    });
  });

  describe('rate limits (429 Too Many Requests)', () => {
    it('keeps the events, waits as long as Retry-After says, then sends them again', async () => {
      const { outbox, transport, clock, stored, logger } = setup();
      transport.answer({ status: 429, retryAfterMs: 20_000 });
      ids(3).forEach(item => outbox.add(item));
      await clock.advance(2000);
      expect(transport.requests).toHaveLength(1);
      expect(stored()).toEqual(['e1', 'e2', 'e3']);

      // New events wait with the others: nothing is sent before the server said.
      outbox.add(event('e4'));
      await clock.advance(19_999);
      expect(transport.requests).toHaveLength(1);
      await clock.advance(1);
      expect(transport.sentIds()).toEqual([
        ['e1', 'e2', 'e3'],
        ['e1', 'e2', 'e3', 'e4']
      ]);
      expect(stored()).toEqual([]);
      expect(logger.warnings).toEqual([]);
    });

    it('backs off like after a 503 when the server gives no Retry-After', async () => {
      const { outbox, transport, clock, stored } = setup();
      transport.answer(429, 429);
      outbox.add(event('e1'));
      await clock.advance(2000);
      // random() = 0: the lower end of each jittered delay, 0.5 s, then 1 s.
      await clock.advance(499);
      expect(transport.requests).toHaveLength(1);
      await clock.advance(1);
      expect(transport.requests).toHaveLength(2);
      await clock.advance(1000);
      expect(transport.sentIds()).toEqual([['e1'], ['e1'], ['e1']]);
      expect(stored()).toEqual([]);
    });

    it('keeps what a page sent while going away when the answer is 429', async () => {
      const { outbox, transport, clock, stored, make } = setup();
      transport.answer({ status: 429, retryAfterMs: 30_000 });
      ids(2).forEach(item => outbox.add(item));
      outbox.flushOnPageHide();
      await clock.advance(0);
      expect(transport.requests.map(r => r.keepalive)).toEqual([true]);
      expect(stored()).toEqual(['e1', 'e2']);

      // The next page sends them.
      outbox.dispose();
      make();
      await clock.advance(0);
      expect(transport.sentIds().slice(-1)).toEqual([['e1', 'e2']]);
      expect(stored()).toEqual([]);
    });
  });

  describe('refused batches', () => {
    it.each([400, 401, 403, 404])(
      'drops a batch answered with HTTP %i, warns, and goes on with later events',
      async status => {
        const { outbox, transport, clock, logger, stored } = setup();
        transport.answer(status);
        outbox.add(event('e1'));
        await clock.advance(2000);
        expect(stored()).toEqual([]);
        expect(logger.warnings).toEqual([
          expect.stringContaining(`HTTP ${status}`)
        ]);

        outbox.add(event('e2'));
        await clock.advance(60_000);
        expect(transport.sentIds()).toEqual([['e1'], ['e2']]);
      }
    );

    it('drops only the events a 422 names as invalid and sends the rest again', async () => {
      const { outbox, transport, clock, logger, stored } = setup();
      transport.answer({
        status: 422,
        body: {
          message: '1 of 3 events are invalid; nothing was accepted.',
          errors: [{ index: 1, field: 'eventTime', error: 'invalid' }]
        }
      });
      ids(3).forEach(item => outbox.add(item));
      await clock.advance(4000);
      expect(transport.sentIds()).toEqual([
        ['e1', 'e2', 'e3'],
        ['e1', 'e3']
      ]);
      expect(logger.warnings).toHaveLength(1);
      expect(stored()).toEqual([]);
    });

    it('sends smaller batches after a 413 instead of dropping events', async () => {
      const { outbox, transport, clock, stored } = setup({
        maxBatchEvents: 8
      });
      transport.answer(413, 413);
      ids(8).forEach(item => outbox.add(item));
      await clock.advance(0);
      expect(transport.sentIds().map(batch => batch.length)).toEqual([
        8, 4, 2, 2, 2, 2
      ]);
      expect(transport.sentIds().slice(2).flat()).toEqual(
        ids(8).map(item => item.eventId)
      );
      expect(stored()).toEqual([]);
    });
  });

  describe('persistence', () => {
    it('resends what an earlier page left unsent as soon as it starts', async () => {
      const first = setup();
      first.transport.answer('network');
      ids(2).forEach(item => first.outbox.add(item));
      await first.clock.advance(2000);
      first.outbox.dispose();
      expect(first.stored()).toEqual(['e1', 'e2']);

      // The page reloads: a new outbox on the same storage.
      const transport = new ScriptedTransport<ITestEvent>();
      first.make({ transport });
      await first.clock.advance(0);
      expect(transport.sentIds()).toEqual([['e1', 'e2']]);
      expect(first.stored()).toEqual([]);
    });

    it('keeps one queue per server', async () => {
      const { storage, clock, transport, outbox } = setup();
      const other = new Outbox<ITestEvent>({
        storageKey: outboxStorageKey('/user/bob/'),
        storage,
        transport: new ScriptedTransport<ITestEvent>().answer('network'),
        clock
      });
      outbox.add(event('alice-1'));
      other.add(event('bob-1'));
      await clock.advance(2000);
      expect(transport.sentIds()).toEqual([['alice-1']]);
      expect(
        JSON.parse(storage.getItem(outboxStorageKey('/user/bob/'))!)
      ).toEqual([event('bob-1')]);
    });

    it('shares the queue between pages of the same server without losing events', async () => {
      const { outbox, make, clock, transport, stored } = setup();
      const secondPage = make();
      outbox.add(event('a1'));
      secondPage.add(event('b1'));
      outbox.add(event('a2'));
      expect(stored()).toEqual(['a1', 'b1', 'a2']);

      await clock.advance(2000);
      expect(new Set(transport.sentIds().flat())).toEqual(
        new Set(['a1', 'b1', 'a2'])
      );
      expect(stored()).toEqual([]);
    });

    it('discards a corrupt stored queue with a warning and keeps working', async () => {
      const { storage, clock, transport, logger, make } = setup();
      storage.setItem(KEY, '{not json');
      const outbox = make();
      outbox.add(event('e1'));
      await clock.advance(2000);
      expect(transport.sentIds()).toEqual([['e1']]);
      expect(logger.warnings[0]).toContain('not valid JSON');
    });

    it('keeps events in memory when the browser refuses storage', async () => {
      const { clock, transport, logger, make } = setup();
      const full = new MemoryStorage();
      full.setItem = () => {
        throw new Error('QuotaExceededError');
      };
      const outbox = make({ storage: full });
      outbox.add(event('e1'));
      expect(outbox.pending()).toEqual([event('e1')]);
      await clock.advance(2000);
      expect(transport.sentIds()).toEqual([['e1']]);
      expect(logger.warnings[0]).toContain('kept in memory');
    });
  });

  describe('bound', () => {
    it('drops the oldest events past maxStoredEvents, with a warning', async () => {
      const { outbox, transport, logger, stored } = setup({
        maxStoredEvents: 5
      });
      transport.answer('network');
      ids(7).forEach(item => outbox.add(item));
      expect(stored()).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
      expect(logger.warnings).toHaveLength(2);
      expect(logger.warnings[0]).toContain('dropped the 1 oldest');
    });
  });

  describe('page hide', () => {
    it('sends every unsent event with keepalive requests at once', async () => {
      const { outbox, transport, clock, stored } = setup({
        maxBatchEvents: 2
      });
      outbox.configure({ flushIntervalMs: 60_000 });
      transport.answer(503, 503, 503, 503);
      outbox.add(event('e1'));
      await clock.advance(0);
      ids(3, 'h').forEach(item => outbox.add(item));

      outbox.flushOnPageHide();
      expect(transport.requests.slice(-2)).toEqual([
        { events: [event('e1'), event('h1')], keepalive: true },
        { events: [event('h2'), event('h3')], keepalive: true }
      ]);
      // Nothing is forgotten before the server has answered.
      expect(stored()).toEqual(['e1', 'h1', 'h2', 'h3']);
    });

    it('removes the events once the keepalive requests are answered 202', async () => {
      const { outbox, clock, transport, stored } = setup();
      ids(3).forEach(item => outbox.add(item));
      outbox.flushOnPageHide();
      await clock.advance(0);
      expect(transport.requests.map(r => r.keepalive)).toEqual([true]);
      expect(stored()).toEqual([]);
    });

    it('stays within the keepalive body budget and leaves the rest stored', async () => {
      const { outbox, transport, stored } = setup({ keepaliveMaxBytes: 400 });
      const big = 'x'.repeat(100);
      const events = Array.from({ length: 6 }, (_, i) =>
        event(`e${i + 1}`, big)
      );
      events.forEach(item => outbox.add(item));
      outbox.flushOnPageHide();
      const sent = transport.requests.flatMap(request => request.events);
      const bytes = transport.requests
        .map(request => JSON.stringify(request.events).length)
        .reduce((a, b) => a + b, 0);
      expect(bytes).toBeLessThanOrEqual(400);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.length).toBeLessThan(6);
      expect(stored()).toHaveLength(6);
    });
  });
});
