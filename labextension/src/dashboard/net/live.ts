/**
 * The live connection to `api/v1/ws`: numbered messages, resumed from the last one after a
 * drop (`feed` and `after`), reconnected with backoff and jitter.
 *
 * Every message of the feed has a sequence number one more than the previous one, so a gap is
 * seen at once: the connection then reconnects from its last message, and the server replays
 * what followed it, or answers `resync` when it cannot (the dashboard reloads its snapshot).
 * A socket subscribed to an assignment (`?assignment=`) or a notebook (`?notebook=`) receives
 * only its messages (of the caller's courses); each names the one sent before it (`prev`),
 * which is what is checked then.
 */
import { backoffDelay, IBackoffOptions } from '../../backoff';
import type { Selection } from '../model/picker';
import { IFeedPosition, ILiveEvent, WsMessage } from '../types';

/** Reconnection delays of a dashboard: 0.5 s, 1 s, 2 s ... up to 30 s, jittered. */
export const RECONNECT_BACKOFF: IBackoffOptions = {
  baseMs: 500,
  maxMs: 30_000
};

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
 *
 * @param from - where to resume: the feed and the last message the dashboard has; `null` to
 *   follow from now.
 * @param subscription - the assignment or notebook whose events the server sends (`null`:
 *   every event of the caller's courses).
 */
export function liveSocketUrl(
  settings: IWsSettings,
  from: IFeedPosition | null,
  subscription: Selection | null = null
): string {
  const base = settings.wsUrl.endsWith('/')
    ? settings.wsUrl
    : `${settings.wsUrl}/`;
  const params: string[] = [];
  if (from) {
    params.push(`feed=${encodeURIComponent(from.feed)}`, `after=${from.seq}`);
  }
  if (subscription !== null && 'assignment' in subscription) {
    params.push(`assignment=${encodeURIComponent(subscription.assignment)}`);
  } else if (subscription !== null) {
    params.push(`notebook=${encodeURIComponent(subscription.notebook)}`);
  }
  if (settings.appendToken && settings.token) {
    params.push(`token=${encodeURIComponent(settings.token)}`);
  }
  return `${base}api/v1/ws${params.length ? `?${params.join('&')}` : ''}`;
}

/** What {@link LiveConnection} needs. */
export interface ILiveConnectionOptions {
  /** The socket URL resuming from a position (`null`: from now). */
  url: (from: IFeedPosition | null) => string;
  /** New events, in the order they were stored (an event may come twice: drop it by id). */
  onEvents: (events: ILiveEvent[]) => void;
  /** The server has replayed everything the dashboard missed; what follows is live. */
  onCaughtUp?: () => void;
  /**
   * The server cannot give what the dashboard missed (another feed, too far behind, too slow):
   * reload the snapshot and {@link LiveConnection.follow} from its position.
   */
  onResync?: (reason: string) => void;
  /** The connection's state changed. */
  onStatus?: (status: LiveStatus) => void;
  /** A help queue entry changed (raised, claimed, resolved, lowered). */
  onHelp?: (entry: unknown) => void;
  /** Socket factory, `new WebSocket(url)` by default. */
  createSocket?: (url: string) => ISocketLike;
  backoff?: IBackoffOptions;
  random?: () => number;
}

/**
 * A WebSocket that stays connected until {@link LiveConnection.stop}, and knows the last
 * message it delivered.
 */
export class LiveConnection {
  constructor(private readonly options: ILiveConnectionOptions) {}

  /** The current state. */
  get status(): LiveStatus {
    return this._status;
  }

  /** The feed and the last message delivered (or the snapshot's, before any). */
  get position(): IFeedPosition | null {
    return this._position;
  }

  /** Connect, resuming after `from` (a snapshot's position; `null`: from now). */
  follow(from: IFeedPosition | null): void {
    this.stop();
    this._position = from;
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
    this._closeSocket();
    this._setStatus('stopped');
  }

  private _closeSocket(): void {
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'dashboard closed');
    }
  }

  private _connect(): void {
    this._timer = null;
    if (!this._started) {
      return;
    }
    const from = this._position;
    const create =
      this.options.createSocket ??
      ((url: string) => new WebSocket(url) as unknown as ISocketLike);
    this._setStatus('connecting');
    let socket: ISocketLike;
    try {
      socket = create(this.options.url(from));
    } catch {
      this._scheduleReconnect();
      return;
    }
    this._socket = socket;
    socket.onopen = () => {
      this._openedAt = Date.now();
      this._setStatus('catching-up');
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
      this._onEvents(message.seq, message.events, message.prev);
    } else if (message.type === 'caught_up') {
      this._attempt = 0;
      this._position = { feed: message.feed, seq: message.seq };
      this._setStatus('live');
      this.options.onCaughtUp?.();
    } else if (message.type === 'help') {
      this.options.onHelp?.(message.entry);
    } else if (message.type === 'resync') {
      // The server sends nothing more on this socket; whoever handles it follows anew.
      this._started = false;
      this._closeSocket();
      this._setStatus('catching-up');
      this.options.onResync?.(
        message.reason ?? 'the live feed cannot be resumed'
      );
    }
  }

  private _onEvents(seq: number, events: ILiveEvent[], prev?: number): void {
    const position = this._position;
    if (position !== null && seq <= position.seq) {
      return; // had it already
    }
    // A subscribed socket skips other exercises' messages: it says which one it sent before.
    const expected = typeof prev === 'number' ? prev : seq - 1;
    if (position !== null && expected !== position.seq) {
      // Messages were missed: reconnect from the last one delivered; the server replays.
      this._closeSocket();
      this._attempt = 0;
      this._scheduleReconnect(0);
      return;
    }
    this._attempt = 0;
    if (position !== null) {
      this._position = { feed: position.feed, seq };
    }
    if (events.length > 0) {
      this.options.onEvents(events);
    }
  }

  private _scheduleReconnect(delay?: number): void {
    if (!this._started) {
      return;
    }
    this._setStatus('reconnecting');
    const wait =
      delay ??
      backoffDelay(
        this._attempt,
        this.options.backoff ?? RECONNECT_BACKOFF,
        this.options.random ?? Math.random
      );
    this._attempt += 1;
    this._timer = setTimeout(() => this._connect(), wait);
  }

  private _setStatus(status: LiveStatus): void {
    if (status !== this._status) {
      this._status = status;
      this.options.onStatus?.(status);
    }
  }

  private _socket: ISocketLike | null = null;
  private _position: IFeedPosition | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _attempt = 0;
  private _openedAt: number | null = null;
  private _started = false;
  private _status: LiveStatus = 'stopped';
}
