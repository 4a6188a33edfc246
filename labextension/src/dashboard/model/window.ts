/**
 * The time window of the whole dashboard: everything (live), the last 10 minutes, this class
 * (today, from its first run) or a custom from–until. Pure logic, no DOM.
 */

/** The windows the toolbar offers. */
export type WindowPreset = 'all' | 'last10' | 'class' | 'custom';

/** A resolved window: ISO times, `null` for an open end. */
export interface ITimeWindow {
  since: string | null;
  until: string | null;
}

/** How long "last 10 minutes" is, in ms. */
export const LAST_MINUTES_MS = 10 * 60 * 1000;

/**
 * The window of `preset` at `now` (ms); `custom` takes `from` / `until` (ISO or `null`).
 * "This class" starts at local midnight: the class is today's runs, and its playback starts
 * at the first of them.
 */
export function resolveWindow(
  preset: WindowPreset,
  now: number,
  custom: ITimeWindow = { since: null, until: null }
): ITimeWindow {
  switch (preset) {
    case 'last10':
      return {
        since: new Date(now - LAST_MINUTES_MS).toISOString(),
        until: null
      };
    case 'class': {
      const midnight = new Date(now);
      midnight.setHours(0, 0, 0, 0);
      return { since: midnight.toISOString(), until: null };
    }
    case 'custom':
      return { since: custom.since, until: custom.until };
    default:
      return { since: null, until: null };
  }
}

/** Whether a window shows everything (the live grid as it is). */
export function isEverything(window: ITimeWindow): boolean {
  return window.since === null && window.until === null;
}
