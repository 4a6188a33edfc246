/**
 * The last event the server accepted from this page, for the notice.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { ICaptureEvent } from '../capture/events';

/** Holds the last event sent. */
export class LastSent {
  /** The last event of the last batch the server accepted. */
  get event(): ICaptureEvent | null {
    return this._event;
  }

  /** Emitted when another event was sent. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Record a batch the server accepted. */
  record(events: readonly ICaptureEvent[]): void {
    if (events.length > 0) {
      this._event = events[events.length - 1];
      this._changed.emit();
    }
  }

  private _event: ICaptureEvent | null = null;
  private _changed = new Signal<this, void>(this);
}
