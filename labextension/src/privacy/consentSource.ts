/**
 * Keeps the student's consent state up to date from the server, and reports in.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IConsentState, NOTICE_ONLY, parseConsent } from './consent';

/** How the source talks to the server. */
export interface IConsentApi {
  /** `GET api/v1/consent?capturing=...`; resolves `undefined` when the server has no such API. */
  get(capturing: boolean): Promise<unknown | undefined>;
  /** `PUT api/v1/consent` with the choice; the new state. */
  put(capture: boolean): Promise<unknown>;
}

/**
 * The consent state in force. The capture plugin asks it before each event,
 * and reports in every `checkInSeconds` (with whether it captures), so the
 * dashboard can count students whose capture is off or not reporting. It is
 * `null` until the server answered, and after an answer that is not a state:
 * nothing is sent then.
 */
export class ConsentSource implements IDisposable {
  /** Resolves once the first answer (or failure) is known. */
  readonly ready: Promise<void>;

  constructor(
    private readonly api: IConsentApi,
    private readonly capturing: () => boolean
  ) {
    this.ready = new Promise(resolve => (this._resolveReady = resolve));
    this._poll = new Poll({
      factory: () => this._load(),
      frequency: { interval: 60_000, backoff: true, max: 300_000 },
      name: 'progress-tracker:consent',
      standby: 'never'
    });
  }

  /** The state in force, `null` while unknown. */
  get current(): IConsentState | null {
    return this._state;
  }

  /** Emitted when the state changes. */
  get changed(): ISignal<this, IConsentState | null> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Store the student's choice on the server. */
  async choose(capture: boolean): Promise<void> {
    this._apply(parseConsent(await this.api.put(capture)));
  }

  /** Ask (and report in) now. */
  refresh(): Promise<void> {
    return this._poll.refresh();
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    try {
      const raw = await this.api.get(this.capturing());
      this._apply(raw === undefined ? { ...NOTICE_ONLY } : parseConsent(raw));
    } catch (error) {
      // Unreachable or refused: nothing is sent until the server answers.
      this._apply(null);
      this._resolveReady();
      throw error;
    }
    const seconds = this._state?.checkInSeconds ?? 60;
    this._poll.frequency = {
      interval: seconds * 1000,
      backoff: true,
      max: seconds * 5000
    };
  }

  private _apply(state: IConsentState | null): void {
    const changed = JSON.stringify(state) !== JSON.stringify(this._state);
    this._state = state;
    this._resolveReady();
    if (changed) {
      this._changed.emit(state);
    }
  }

  private _poll: Poll;
  private _state: IConsentState | null = null;
  private _resolveReady!: () => void;
  private _changed = new Signal<this, IConsentState | null>(this);
}
