/**
 * Keeps the capture settings up to date from the server.
 */
import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import {
  ICaptureSettings,
  parseSettings,
  SAFE_DEFAULT_SETTINGS
} from './settings';

/** Options of a {@link SettingsSource}. */
export interface ISettingsSourceOptions {
  /** Fetch the decoded body of `GET api/v1/settings`; rejects on failure. */
  fetch: () => Promise<unknown>;
  /** How often settings are fetched again after a success, in ms. */
  refreshMs?: number;
  /** First retry delay and longest delay after failures, in ms (jittered, growing). */
  retry?: { interval: number; max: number };
  logger?: { warn(message: string, ...details: unknown[]): void };
}

/**
 * The capture settings in force.
 *
 * Until the server has answered once, `ready` is pending; if the first fetch
 * fails, `ready` resolves with {@link SAFE_DEFAULT_SETTINGS} and fetching is
 * retried with backoff. Settings are fetched again every `refreshMs`, so an
 * instructor's change reaches open pages. The fetches run on a `Poll`, never
 * in the plugin's activation.
 */
export class SettingsSource implements IDisposable {
  /** Resolves with the first settings known (possibly the safe defaults). */
  readonly ready: Promise<ICaptureSettings>;

  constructor(private readonly options: ISettingsSourceOptions) {
    this.ready = new Promise(resolve => {
      this._resolveReady = resolve;
    });
    const refreshMs = options.refreshMs ?? 5 * 60 * 1000;
    const retry = options.retry ?? { interval: 5000, max: 60_000 };
    this._refresh = { interval: refreshMs, backoff: false, max: refreshMs };
    this._retry = { interval: retry.interval, backoff: true, max: retry.max };
    this._poll = new Poll({
      factory: () => this._load(),
      frequency: this._refresh,
      name: 'progress-tracker:capture-settings',
      // The first answer decides what is sent, even from a page opened in the background.
      standby: 'never'
    });
  }

  /** The settings in force, or `null` before the first answer or failure. */
  get current(): ICaptureSettings | null {
    return this._settings;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Call `listener` with every new settings value. */
  onChange(listener: (settings: ICaptureSettings) => void): void {
    this._listeners.add(listener);
  }

  /** Stop fetching. */
  dispose(): void {
    this._poll.dispose();
  }

  private async _load(): Promise<void> {
    let raw: unknown;
    try {
      raw = await this.options.fetch();
    } catch (error) {
      if (this._settings === null) {
        (this.options.logger ?? console).warn(
          'progress-tracker: capture settings unavailable; sending no code, outputs or error texts until the server answers.',
          error
        );
        this._apply({ ...SAFE_DEFAULT_SETTINGS });
      }
      // A rejection makes the poll back off from the retry interval.
      this._poll.frequency = this._retry;
      throw error;
    }
    this._poll.frequency = this._refresh;
    this._apply(parseSettings(raw));
  }

  private _apply(settings: ICaptureSettings): void {
    const changed = JSON.stringify(settings) !== JSON.stringify(this._settings);
    this._settings = settings;
    this._resolveReady(settings);
    if (changed) {
      this._listeners.forEach(listener => listener(settings));
    }
  }

  private _poll: Poll;
  private _refresh: IPoll.Frequency;
  private _retry: IPoll.Frequency;
  private _settings: ICaptureSettings | null = null;
  private _resolveReady!: (settings: ICaptureSettings) => void;
  private readonly _listeners = new Set<(settings: ICaptureSettings) => void>();
}
