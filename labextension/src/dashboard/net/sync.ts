/**
 * Keeps the dashboard's model in step with the server: a snapshot first, then the live messages
 * that follow it (from the feed position the snapshot carries), reloading the snapshot when the
 * server cannot replay what was missed.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type { Selection } from '../model/picker';
import { IApplyResult, ProgressModel } from '../model/state';
import { backoffDelay, IBackoffOptions } from '../../backoff';
import type { IFeedPosition, ILiveEvent, IProgressSnapshot } from '../types';
import { FrameBatcher } from '../scheduling';
import type { DashboardClient } from './client';
import {
  ILiveConnectionOptions,
  LiveConnection,
  LiveStatus,
  liveSocketUrl
} from './live';

/**
 * Delays before reloading the snapshot after resyncs in a row: at once, then 1 s, 2 s ... up to
 * 30 s, so that a dashboard that keeps falling behind (a very busy browser) never loops.
 */
export const RESYNC_BACKOFF: IBackoffOptions = { baseMs: 1000, maxMs: 30_000 };

/** Options of a {@link ProgressSync}. */
export interface IProgressSyncOptions {
  client: Pick<DashboardClient, 'progress' | 'serverSettings'>;
  /** Socket factory (tests); `new WebSocket(url)` by default. */
  createSocket?: ILiveConnectionOptions['createSocket'];
  /** Frame scheduler (tests); `requestAnimationFrame` by default. */
  requestFrame?: (callback: () => void) => unknown;
}

/**
 * The model of one dashboard and what keeps it current.
 *
 * Live events are applied once per animation frame, however many arrive.
 */
export class ProgressSync implements IDisposable {
  /** The class's progress. */
  readonly model = new ProgressModel();

  constructor(private readonly options: IProgressSyncOptions) {
    this._batcher = new FrameBatcher<ILiveEvent>(
      events => this._flush(events),
      options.requestFrame
    );
    this._live = new LiveConnection({
      // The server sends only the shown exercise's events (all of them before there is one).
      url: from =>
        liveSocketUrl(
          options.client.serverSettings,
          from,
          this.model.selection
        ),
      onEvents: events => this._batcher.push(events),
      onCaughtUp: () => (this._resyncs = 0),
      onResync: () => this._onResync(),
      onStatus: status => this._statusChanged.emit(status),
      onHelp: entry => this._helpChanged.emit(entry),
      createSocket: options.createSocket
    });
  }

  /** A snapshot is being loaded (with what was asked for, `null` for the latest). */
  get loading(): ISignal<this, Selection | null> {
    return this._loading;
  }

  /** A snapshot replaced the model. */
  get loaded(): ISignal<this, IProgressSnapshot> {
    return this._loaded;
  }

  /** A snapshot could not be loaded (with the reason); the live feed is stopped. */
  get loadFailed(): ISignal<this, unknown> {
    return this._loadFailed;
  }

  /** Live events changed the model. */
  get changed(): ISignal<this, IApplyResult> {
    return this._changed;
  }

  /** The live connection's state changed. */
  get statusChanged(): ISignal<this, LiveStatus> {
    return this._statusChanged;
  }

  /** A help queue entry changed (the live socket's `help` message, undecoded). */
  get helpChanged(): ISignal<this, unknown> {
    return this._helpChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Load an assignment's or notebook's snapshot (the most recently active for `null`), then
   * follow it live.
   */
  async load(selection: Selection | null): Promise<void> {
    const sequence = ++this._sequence;
    this._live.stop();
    this._loading.emit(selection);
    let snapshot: IProgressSnapshot;
    let firstPage = true;
    const onPage = (partial: IProgressSnapshot) => {
      // The first screen of a large class, drawn while the rest arrives.
      if (firstPage && sequence === this._sequence && !this._isDisposed) {
        firstPage = false;
        this.model.load(partial);
        this._loaded.emit(partial);
      }
    };
    try {
      snapshot = await this.options.client.progress(selection, onPage);
    } catch (reason) {
      if (sequence === this._sequence && !this._isDisposed) {
        this._loadFailed.emit(reason);
      }
      return;
    }
    if (sequence !== this._sequence || this._isDisposed) {
      return;
    }
    // Whatever was queued before the snapshot is part of it.
    this._batcher.clear();
    this.model.load(snapshot);
    this._loaded.emit(snapshot);
    this._live.follow(positionOf(snapshot));
  }

  /** Where the live feed is followed from (the last message applied). */
  get position(): IFeedPosition | null {
    return this._live.position;
  }

  /** Load the selected assignment's or notebook's snapshot again. */
  reload(): Promise<void> {
    return this.load(this.model.selection);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._live.stop();
    if (this._resyncTimer !== null) {
      clearTimeout(this._resyncTimer);
    }
    this._batcher.dispose();
    Signal.clearData(this);
  }

  /**
   * The server could not give what the dashboard missed: reload the snapshot, which says where
   * to follow from. Resyncs in a row wait longer and longer ({@link RESYNC_BACKOFF}).
   */
  private _onResync(): void {
    const delay =
      this._resyncs === 0 ? 0 : backoffDelay(this._resyncs - 1, RESYNC_BACKOFF);
    this._resyncs += 1;
    this._resyncTimer = setTimeout(() => {
      this._resyncTimer = null;
      if (!this._isDisposed) {
        void this.reload();
      }
    }, delay);
  }

  /** Apply the live events of one animation frame. */
  private _flush(events: ILiveEvent[]): void {
    if (this._isDisposed || events.length === 0) {
      return;
    }
    const hadNotebook = this.model.selection !== null;
    const result = this.model.apply(events);
    if (result.applied === 0) {
      return;
    }
    if (!hadNotebook) {
      // The first activity of the class: select its notebook.
      void this.load(null);
      return;
    }
    this._changed.emit(result);
  }

  private _batcher: FrameBatcher<ILiveEvent>;
  private _live: LiveConnection;
  private _sequence = 0;
  private _resyncs = 0;
  private _resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private _isDisposed = false;
  private _loading = new Signal<this, Selection | null>(this);
  private _loaded = new Signal<this, IProgressSnapshot>(this);
  private _loadFailed = new Signal<this, unknown>(this);
  private _changed = new Signal<this, IApplyResult>(this);
  private _statusChanged = new Signal<this, LiveStatus>(this);
  private _helpChanged = new Signal<this, unknown>(this);
}

/** The feed position a snapshot carries (`null` from a server that sends none). */
function positionOf(snapshot: IProgressSnapshot): IFeedPosition | null {
  return typeof snapshot.liveFeed === 'string' &&
    typeof snapshot.liveSeq === 'number'
    ? { feed: snapshot.liveFeed, seq: snapshot.liveSeq }
    : null;
}
