/**
 * Keeps the student's consent states (one per course) up to date from the
 * server, and reports in.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { IConsentState, parseConsent } from './consent';
import {
  checkInSeconds,
  ICourseConsents,
  NOTICE_ONLY_COURSES,
  parseCourseConsents,
  stateOf,
  withState
} from './courses';

/** How the source talks to the server. */
export interface IConsentApi {
  /**
   * `GET api/v1/consent/courses?capturing=...`; resolves `undefined` when the
   * server has no consent API.
   */
  get(capturing: boolean): Promise<unknown | undefined>;
  /** `PUT api/v1/consent?course=...` with the choice; the course's new state. */
  put(course: string, capture: boolean): Promise<unknown>;
}

/**
 * The consent states in force, one per course of the student. The capture
 * plugin asks it before each event (the state of the event's course), and
 * reports in every `checkInSeconds` (with whether it runs), so the dashboard
 * of every course can count students whose capture is off or not reporting.
 * It is `null` until the server answered, and after an answer that is not a
 * list of states: nothing is sent then.
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

  /** Every course's state, `null` while unknown. */
  get current(): ICourseConsents | null {
    return this._state;
  }

  /**
   * The state gating the events of a notebook, `null` when none applies.
   *
   * @param assignmentCourse - the course of the notebook's published assignment, if any
   */
  stateFor(assignmentCourse: string | null): IConsentState | null {
    return stateOf(this._state, assignmentCourse);
  }

  /** Emitted when a state changes. */
  get changed(): ISignal<this, ICourseConsents | null> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Store the student's choice in `course` on the server. */
  async choose(course: string, capture: boolean): Promise<void> {
    const state = parseConsent(await this.api.put(course, capture));
    if (state !== null && this._state !== null) {
      this._apply(withState(this._state, state));
    } else {
      void this.refresh(); // an answer that is no state: ask again
    }
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
      this._apply(
        raw === undefined
          ? { ...NOTICE_ONLY_COURSES }
          : parseCourseConsents(raw)
      );
    } catch (error) {
      // Unreachable or refused: nothing is sent until the server answers.
      this._apply(null);
      this._resolveReady();
      throw error;
    }
    const seconds = this._state ? checkInSeconds(this._state) : 60;
    this._poll.frequency = {
      interval: seconds * 1000,
      backoff: true,
      max: seconds * 5000
    };
  }

  private _apply(state: ICourseConsents | null): void {
    const changed = JSON.stringify(state) !== JSON.stringify(this._state);
    this._state = state;
    this._resolveReady();
    if (changed) {
      this._changed.emit(state);
    }
  }

  private _poll: Poll;
  private _state: ICourseConsents | null = null;
  private _resolveReady!: () => void;
  private _changed = new Signal<this, ICourseConsents | null>(this);
}
