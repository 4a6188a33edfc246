/**
 * Test doubles for the outbox: a manual clock, an in-memory storage and a
 * transport whose answers the test decides.
 */
import type {
  IClock,
  IOutboxItem,
  IOutboxStorage,
  IOutboxTransport,
  ISendResult
} from '../outbox';

/** A clock that only moves when the test says so. */
export class FakeClock implements IClock {
  private time = 0;
  private nextHandle = 1;
  private timers = new Map<number, { due: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { due: this.time + ms, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Move time forward, firing due timers in order and letting promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.timers.entries()]
        .filter(([, timer]) => timer.due <= end)
        .sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) {
        break;
      }
      const [handle, timer] = next;
      this.timers.delete(handle);
      this.time = Math.max(this.time, timer.due);
      timer.callback();
    }
    this.time = end;
    await settle();
  }

  /** When the next timer fires, in ms from now; `null` without timers. */
  nextTimerIn(): number | null {
    const dues = [...this.timers.values()].map(timer => timer.due);
    return dues.length ? Math.min(...dues) - this.time : null;
  }
}

/** Let pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

/** `localStorage` in memory. */
export class MemoryStorage implements IOutboxStorage {
  readonly items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** One request the fake transport received. */
export interface IRecordedRequest<T> {
  events: T[];
  keepalive: boolean;
}

/**
 * A transport that records requests and answers each from a script: a status,
 * a full result, or `'network'` for an unreachable server. Without a script
 * entry it answers 202.
 */
export class ScriptedTransport<
  T extends IOutboxItem
> implements IOutboxTransport<T> {
  readonly requests: IRecordedRequest<T>[] = [];
  private readonly script: Array<number | ISendResult | 'network'> = [];

  /** Queue the answers of the next requests. */
  answer(...answers: Array<number | ISendResult | 'network'>): this {
    this.script.push(...answers);
    return this;
  }

  async send(
    events: readonly T[],
    options: { keepalive: boolean }
  ): Promise<ISendResult> {
    this.requests.push({ events: [...events], keepalive: options.keepalive });
    const next = this.script.shift() ?? 202;
    if (next === 'network') {
      throw new TypeError('Failed to fetch');
    }
    return typeof next === 'number' ? { status: next } : next;
  }

  /** The ids sent, request by request. */
  sentIds(): string[][] {
    return this.requests.map(request =>
      request.events.map(event => event.eventId)
    );
  }
}

/** A logger that keeps its warnings. */
export class RecordingLogger {
  readonly warnings: string[] = [];

  warn(message: string): void {
    this.warnings.push(message);
  }
}
