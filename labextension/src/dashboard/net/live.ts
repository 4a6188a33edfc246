/**
 * The live connection to `api/v1/ws`: reconnects with backoff and jitter, and asks the server
 * to replay what was missed (`since`) after a drop.
 */
import { backoffDelay, IBackoffOptions } from '../../backoff';

/** Reconnection delays of a dashboard: 0.5 s, 1 s, 2 s ... up to 30 s, jittered. */
export const RECONNECT_BACKOFF: IBackoffOptions = {
  baseMs: 500,
  maxMs: 30_000
};
import { ILiveEvent, WsMessage } from '../types';

/** A connection open this long (ms) counts as good: the next drop retries quickly again. */
const STABLE_MS = 10_000;

/** The state of the live connection, as shown to the instructor. */
export type LiveStatus =
  'connecting' | 'catching-up' | 'live' | 'reconnecting' | 'stopped';

/** What a socket must offer (the browser's `WebSocket` does). */
export interface ISocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

/** Server connection settings needed to build the URL (a subset of `ServerConnection.ISettings`). */
export interface IWsSettings {
  wsUrl: string;
  token: string;
  appendToken: boolean;
}

/**
 * The URL of the live socket, built the way JupyterLab builds its own kernel sockets: from
 * `wsUrl`, with the token as a query parameter when the settings say so.
 */
export function liveSocketUrl(
  settings: IWsSettings,
  since: string | null
): string {
  const base = settings.wsUrl.endsWith('/')
    ? settings.wsUrl
    : `${settings.wsUrl}/`;
  const params: string[] = [];
  if (since) {
    params.push(`since=${encodeURIComponent(since)}`);
  }
  if (settings.appendToken && settings.token) {
    params.push(`token=${encodeURIComponent(settings.token)}`);
  }
  return `${base}api/v1/ws${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * Drops the part of a replay the dashboard already has.
 *
 * The server replays from a little before the `since` event (to cover commits that landed out
 * of order), and the snapshot does not list its event ids, so everything up to and including
 * the `since` event is dropped; what follows is new (and de-duplicated by id downstream).
 */
export class ReplayFilter {
  /**
   * @param since - the id of the last event the dashboard has.
   */
  constructor(readonly since: string) {}

  /** Whether the `since` event was seen in the replay. */
  get found(): boolean {
    return this._found;
  }

  /** The events of a replay message that come after the `since` event. */
  accept(events: readonly ILiveEvent[]): ILiveEvent[] {
    if (this._found) {
      return [...events];
    }
    const index = events.findIndex(e => e && e.eventId === this.since);
    if (index < 0) {
      return [];
    }
    this._found = true;
    return events.slice(index + 1);
  }

  private _found = false;
}

/** What {@link LiveConnection} needs. */
export interface ILiveConnectionOptions {
  /** The socket URL for a given `since` event id. */
  url: (since: string | null) => string;
  /** The last event id known when (re)connecting. */
  since: () => string | null;
  /** New events, in persistence order. */
  onEvents: (events: ILiveEvent[]) => void;
  /** The server has replayed everything since `since`. */
  onCaughtUp?: () => void;
  /**
   * The server could not replay everything since `since` (unknown event, too many events):
   * the dashboard must reload its snapshot.
   */
  onResync?: () => void;
  /** The connection's state changed. */
  onStatus?: (status: LiveStatus) => void;
  /** Socket factory, `new WebSocket(url)` by default. */
  createSocket?: (url: string) => ISocketLike;
  backoff?: IBackoffOptions;
  random?: () => number;
}

/**
 * A WebSocket that stays connected until {@link LiveConnection.stop}.
 */
export class LiveConnection {
  constructor(private readonly options: ILiveConnectionOptions) {}

  /** The current state. */
  get status(): LiveStatus {
    return this._status;
  }

  /** Connect (no-op if already started). */
  start(): void {
    if (this._started) {
      return;
    }
    this._started = true;
    this._connect();
  }

  /** Disconnect and stop reconnecting. */
  stop(): void {
    this._started = false;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'dashboard closed');
    }
    this._setStatus('stopped');
  }

  private _connect(): void {
    this._timer = null;
    if (!this._started) {
      return;
    }
    const since = this.options.since();
    const create =
      this.options.createSocket ??
      ((url: string) => new WebSocket(url) as unknown as ISocketLike);
    this._setStatus('connecting');
    let socket: ISocketLike;
    try {
      socket = create(this.options.url(since));
    } catch {
      this._scheduleReconnect();
      return;
    }
    this._socket = socket;
    this._replay = since ? new ReplayFilter(since) : null;
    socket.onopen = () => {
      this._openedAt = Date.now();
      this._setStatus(since ? 'catching-up' : 'live');
    };
    socket.onmessage = ev => this._onMessage(ev.data);
    socket.onerror = () => {
      // An error is always followed by a close, which schedules the retry.
    };
    socket.onclose = () => {
      if (this._socket !== socket) {
        return;
      }
      this._socket = null;
      if (this._openedAt !== null && Date.now() - this._openedAt >= STABLE_MS) {
        // It was a good connection: start the backoff over.
        this._attempt = 0;
      }
      this._openedAt = null;
      this._scheduleReconnect();
    };
  }

  private _onMessage(data: unknown): void {
    let message: WsMessage;
    try {
      message = JSON.parse(String(data)) as WsMessage;
    } catch {
      return;
    }
    if (message.type === 'events' && Array.isArray(message.events)) {
      this._attempt = 0;
      const events = this._replay
        ? this._replay.accept(message.events)
        : message.events;
      if (events.length > 0) {
        this.options.onEvents(events);
      }
    } else if (message.type === 'caught_up') {
      this._attempt = 0;
      const replayed = !this._replay || this._replay.found;
      this._replay = null;
      this._setStatus('live');
      if (replayed && message.complete !== false) {
        this.options.onCaughtUp?.();
      } else {
        this.options.onResync?.();
      }
    } else if (message.type === 'resync') {
      this._replay = null;
      this.options.onResync?.();
    }
  }

  private _scheduleReconnect(): void {
    if (!this._started) {
      return;
    }
    this._setStatus('reconnecting');
    const delay = backoffDelay(
      this._attempt,
      this.options.backoff ?? RECONNECT_BACKOFF,
      this.options.random ?? Math.random
    );
    this._attempt += 1;
    this._timer = setTimeout(() => this._connect(), delay);
  }

  private _setStatus(status: LiveStatus): void {
    if (status !== this._status) {
      this._status = status;
      this.options.onStatus?.(status);
    }
  }

  private _socket: ISocketLike | null = null;
  private _replay: ReplayFilter | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _attempt = 0;
  private _openedAt: number | null = null;
  private _started = false;
  private _status: LiveStatus = 'stopped';
}
