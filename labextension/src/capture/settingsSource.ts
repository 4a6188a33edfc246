/**
 * Keeps the capture settings up to date from the server.
 */
import { backoffDelay, DEFAULT_BACKOFF, IBackoffOptions } from '../backoff';
import type { IClock } from './outbox';
import {
  ICaptureSettings,
  parseSettings,
  SAFE_DEFAULT_SETTINGS
} from './settings';

/** Options of a {@link SettingsSource}. */
export interface ISettingsSourceOptions {
  /** Fetch the decoded body of `GET api/v1/settings`; rejects on failure. */
  fetch: () => Promise<unknown>;
  clock: IClock;
  random?: () => number;
  /** How often settings are fetched again after a success, in ms. */
  refreshMs?: number;
  /** Retry schedule after failures. */
  backoff?: IBackoffOptions;
  logger?: { warn(message: string, ...details: unknown[]): void };
}

/**
 * The capture settings in force.
 *
 * Until the server has answered once, `ready` is pending; if the first fetch
 * fails, `ready` resolves with {@link SAFE_DEFAULT_SETTINGS} and fetching is
 * retried with backoff. Settings are fetched again every `refreshMs`, so an
 * instructor's change reaches open pages.
 */
export class SettingsSource {
  private readonly options: ISettingsSourceOptions;
  private settings: ICaptureSettings | null = null;
  private resolveReady!: (settings: ICaptureSettings) => void;
  private readonly listeners = new Set<(settings: ICaptureSettings) => void>();
  private failures = 0;
  private timer: unknown = null;
  private disposed = false;

  /** Resolves with the first settings known (possibly the safe defaults). */
  readonly ready: Promise<ICaptureSettings>;

  constructor(options: ISettingsSourceOptions) {
    this.options = options;
    this.ready = new Promise(resolve => {
      this.resolveReady = resolve;
    });
    void this.load();
  }

  /** The settings in force, or `null` before the first answer or failure. */
  get current(): ICaptureSettings | null {
    return this.settings;
  }

  /** Call `listener` with every new settings value. */
  onChange(listener: (settings: ICaptureSettings) => void): void {
    this.listeners.add(listener);
  }

  /** Stop fetching. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private async load(): Promise<void> {
    if (this.disposed) {
      return;
    }
    const { clock } = this.options;
    let next: number;
    try {
      const raw = await this.options.fetch();
      this.failures = 0;
      this.apply(parseSettings(raw));
      next = this.options.refreshMs ?? 5 * 60 * 1000;
    } catch (error) {
      if (this.settings === null) {
        (this.options.logger ?? console).warn(
          'progress-tracker: capture settings unavailable; sending no code, outputs or error texts until the server answers.',
          error
        );
        this.apply({ ...SAFE_DEFAULT_SETTINGS });
      }
      next = backoffDelay(
        this.failures,
        this.options.backoff ?? { ...DEFAULT_BACKOFF, baseMs: 5000 },
        this.options.random
      );
      this.failures += 1;
    }
    if (!this.disposed) {
      this.timer = clock.setTimeout(() => {
        this.timer = null;
        void this.load();
      }, next);
    }
  }

  private apply(settings: ICaptureSettings): void {
    const changed = JSON.stringify(settings) !== JSON.stringify(this.settings);
    this.settings = settings;
    this.resolveReady(settings);
    if (changed) {
      this.listeners.forEach(listener => listener(settings));
    }
  }
}
