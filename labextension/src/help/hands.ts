/**
 * The student's raised hands on this page: sent as `help` / `help_stop` events through the
 * capture service (its outbox, settings and consent), and followed by polling
 * `GET api/v1/help/mine` while a hand is up, to show who is coming.
 */
import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI } from '../api';
import type { ICaptureEvent } from '../capture/events';
import { newEventId } from '../capture/browser';
import type { CaptureService } from '../capture/service';
import { isTracked } from '../capture/settings';
import {
  afterAnswer,
  entryOf,
  HAND_DOWN,
  IHandRef,
  IHandState,
  IMyEntry,
  parseMine,
  raised
} from './handstate';

/** How often the server is asked about a raised hand, in ms. */
export const POLL_MS = 10_000;

/** The longest message the server takes (`message`, 500 characters). */
export const MAX_MESSAGE_CHARS = 500;

/** The key of a notebook's hand: its assignment, else its path. */
function keyOf(ref: IHandRef): string {
  return ref.assignmentId ? `a:${ref.assignmentId}` : `p:${ref.path}`;
}

/** A `help` or `help_stop` event of a notebook (pure). */
export function handEvent(
  type: 'help' | 'help_stop',
  ref: IHandRef,
  at: Date,
  eventId: string,
  cellId: string | null = null,
  message = ''
): ICaptureEvent {
  const event: ICaptureEvent = {
    eventId,
    eventType: type,
    eventTime: at.toISOString(),
    notebookPath: ref.path
  };
  if (ref.assignmentId) {
    event.assignmentId = ref.assignmentId;
  }
  if (cellId) {
    event.cellId = cellId;
  }
  const text = message.trim().slice(0, MAX_MESSAGE_CHARS);
  if (text) {
    event.message = text;
  }
  return event;
}

/** Every hand of the page, by notebook. */
export class HandTracker implements IDisposable {
  constructor(
    private readonly capture: CaptureService,
    private readonly serverSettings: ServerConnection.ISettings
  ) {
    this._poll = new Poll({
      auto: false,
      factory: () => this._refresh(false),
      frequency: { interval: POLL_MS, backoff: true, max: 60_000 },
      name: 'progress-tracker:help-mine',
      standby: 'never'
    });
    capture.settings.onChange(() => this._changed.emit());
    capture.consent.changed.connect(this._emit, this);
    // A hand raised before the page was (re)loaded comes back up.
    void capture.settings.ready.then(() => this._refresh(true));
  }

  /** A hand, or whether hands can be raised, changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Whether a hand can be raised in a notebook (its events are captured). */
  canRaise(ref: IHandRef): boolean {
    const settings = this.capture.settings.current;
    const consent = this.capture.consent.stateFor(ref.course);
    return (
      settings !== null && isTracked(ref.path, settings) && !!consent?.captureOn
    );
  }

  /** The hand of a notebook. */
  state(ref: IHandRef): IHandState {
    const key = keyOf(ref);
    if (!this._refs.has(key) && this._restored !== null) {
      // A notebook opened after the page's first answer: a hand raised there comes back up.
      const hand = afterAnswer(HAND_DOWN, entryOf(this._restored, ref), true);
      if (hand.phase !== 'down') {
        void Promise.resolve().then(() => this._set(ref, hand));
      }
    }
    this._refs.set(key, ref);
    return this._hands.get(key) ?? HAND_DOWN;
  }

  /** Raise the hand of a notebook, on a cell, with a message (both optional). */
  raise(ref: IHandRef, cellId: string | null, message: string): void {
    const at = new Date();
    this.capture.send(
      ref.path,
      () => handEvent('help', ref, at, newEventId(), cellId, message),
      ref.course
    );
    this._set(ref, raised());
  }

  /** Lower the hand of a notebook. */
  lower(ref: IHandRef): void {
    const at = new Date();
    this.capture.send(
      ref.path,
      () => handEvent('help_stop', ref, at, newEventId()),
      ref.course
    );
    this._set(ref, { ...HAND_DOWN });
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    this.capture.consent.changed.disconnect(this._emit, this);
    Signal.clearData(this);
  }

  private _emit(): void {
    this._changed.emit();
  }

  private _set(ref: IHandRef, state: IHandState): void {
    this._refs.set(keyOf(ref), ref);
    this._hands.set(keyOf(ref), state);
    this._changed.emit();
    const up = [...this._hands.values()].some(h => h.phase !== 'down');
    if (up && !this.isDisposed) {
      void this._poll.start();
    } else if (!up) {
      void this._poll.stop();
    }
  }

  private async _refresh(restoring: boolean): Promise<void> {
    let entries: IMyEntry[];
    try {
      entries = parseMine(
        await requestAPI<unknown>(this.serverSettings, 'help/mine')
      );
    } catch (reason) {
      if (restoring) {
        return; // a server without the help queue: nothing to restore
      }
      throw reason; // the poll backs off
    }
    if (this.isDisposed) {
      return;
    }
    if (restoring) {
      this._restored = entries;
    }
    for (const [key, ref] of this._refs) {
      const before = this._hands.get(key) ?? HAND_DOWN;
      const after = afterAnswer(before, entryOf(entries, ref), restoring);
      if (
        after.phase !== before.phase ||
        after.claimedBy !== before.claimedBy
      ) {
        this._set(ref, after);
      } else {
        this._hands.set(key, after);
      }
    }
  }

  private _restored: IMyEntry[] | null = null;
  private readonly _hands = new Map<string, IHandState>();
  private readonly _refs = new Map<string, IHandRef>();
  private readonly _changed = new Signal<this, void>(this);
  private readonly _poll: Poll;
}
