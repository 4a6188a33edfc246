/**
 * The thresholds of the "Needing help" list: the operator's (served at `GET api/v1/settings`)
 * until the instructor sets others in the tab. Pure logic, no DOM.
 */
import { DEFAULT_HELP_OPTIONS } from './help';

/** When a student is listed as needing help. */
export interface IHelpThresholds {
  /** Errors on one cell whose latest run failed. */
  errorThreshold: number;
  /** Minutes without activity, once started. */
  idleMinutes: number;
}

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : null;
}

/**
 * The thresholds of the server's settings (`helpErrorThreshold`, `helpIdleMinutes`); a field
 * missing or not a positive number keeps the value of `fallback`.
 *
 * @param raw - the decoded body of `GET api/v1/settings`
 */
export function thresholdsFromSettings(
  raw: unknown,
  fallback: IHelpThresholds = DEFAULT_HELP_OPTIONS
): IHelpThresholds {
  const data = (raw ?? {}) as Record<string, unknown>;
  const errors = positive(data.helpErrorThreshold);
  return {
    errorThreshold:
      errors === null
        ? fallback.errorThreshold
        : Math.max(1, Math.round(errors)),
    idleMinutes: positive(data.helpIdleMinutes) ?? fallback.idleMinutes
  };
}

/**
 * The thresholds in force in one dashboard.
 */
export class HelpThresholds {
  /** The thresholds in force. */
  get current(): IHelpThresholds {
    return { ...this._current };
  }

  /** Whether the instructor set the thresholds in the tab. */
  get setByInstructor(): boolean {
    return this._byInstructor;
  }

  /**
   * Take the server's settings, unless the instructor has set thresholds already.
   *
   * @returns whether the thresholds in force changed
   */
  fromServer(raw: unknown): boolean {
    if (this._byInstructor) {
      return false;
    }
    return this._set(thresholdsFromSettings(raw, this._current));
  }

  /**
   * The instructor's thresholds, kept for the life of the tab.
   *
   * @returns whether the thresholds in force changed
   */
  setByUser(thresholds: IHelpThresholds): boolean {
    this._byInstructor = true;
    return this._set(thresholds);
  }

  private _set(next: IHelpThresholds): boolean {
    const changed =
      next.errorThreshold !== this._current.errorThreshold ||
      next.idleMinutes !== this._current.idleMinutes;
    this._current = { ...next };
    return changed;
  }

  private _current: IHelpThresholds = { ...DEFAULT_HELP_OPTIONS };
  private _byInstructor = false;
}
