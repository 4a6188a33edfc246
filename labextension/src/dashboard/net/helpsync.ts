/**
 * Keeps the dashboard's raised hands current: `GET api/v1/help` when the live socket is
 * (re)connected, then the socket's `help` messages, and a slow refresh (a claim made by
 * another collector process reaches this dashboard then).
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  applyHand,
  IRaisedHand,
  parseHand,
  parseQueue
} from '../model/helpqueue';
import type { DashboardClient } from './client';
import type { LiveStatus } from './live';
import type { ProgressSync } from './sync';

/** How often the whole queue is read again, in ms. */
const REFRESH_MS = 30_000;

/** The raised hands of the user's scope. */
export class HelpQueueSync implements IDisposable {
  constructor(
    private readonly client: Pick<DashboardClient, 'helpQueue' | 'changeHelp'>,
    sync: Pick<ProgressSync, 'helpChanged' | 'statusChanged'>
  ) {
    this._poll = new Poll({
      auto: false,
      factory: () => this.reload(),
      frequency: { interval: REFRESH_MS, backoff: true, max: 300_000 },
      name: 'progress-tracker:help-queue',
      standby: 'when-hidden'
    });
    sync.helpChanged.connect((_, raw) => this._apply(parseHand(raw)), this);
    sync.statusChanged.connect(this._onStatus, this);
  }

  /** The hands changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The open hands, as last known. */
  get hands(): readonly IRaisedHand[] {
    return this._hands;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Read the queue now, then every {@link REFRESH_MS}. */
  start(): void {
    void this.reload();
    void this._poll.start();
  }

  /** Read the whole queue again. */
  async reload(): Promise<void> {
    const hands = parseQueue(await this.client.helpQueue());
    if (!this.isDisposed) {
      this._hands = hands;
      this._changed.emit();
    }
  }

  /** Claim or resolve a hand; the queue shows the change at once. */
  async change(id: number, action: 'claim' | 'resolve'): Promise<void> {
    try {
      this._apply(parseHand(await this.client.changeHelp(id, action)));
    } catch (reason) {
      await this.reload().catch(() => undefined); // resolved or moved meanwhile: show it
      throw reason;
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _onStatus(_: unknown, status: LiveStatus): void {
    if (status === 'live') {
      void this.reload().catch(() => undefined); // help messages are not replayed
    }
  }

  private _apply(hand: IRaisedHand | null): void {
    if (hand !== null && !this.isDisposed) {
      this._hands = applyHand(this._hands, hand);
      this._changed.emit();
    }
  }

  private _hands: IRaisedHand[] = [];
  private readonly _changed = new Signal<this, void>(this);
  private readonly _poll: Poll;
}
