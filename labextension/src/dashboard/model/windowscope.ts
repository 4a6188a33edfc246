/**
 * What the dashboard's time window changes in the panels the server answers (the errors, a
 * student's timeline): the bounds they ask with, and the heading that says so. Pure logic.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { isEverything, ITimeWindow } from './window';

/** The window of the whole history (the live view). */
export const EVERYTHING: ITimeWindow = { since: null, until: null };

/** A time of the window as shown in a heading, e.g. "10:02". */
export type TimeText = (iso: string) => string;

/** The `since` / `until` query parameters of a window: only its closed ends. */
export function windowQuery(window: ITimeWindow): {
  since?: string;
  until?: string;
} {
  const query: { since?: string; until?: string } = {};
  if (window.since) {
    query.since = window.since;
  }
  if (window.until) {
    query.until = window.until;
  }
  return query;
}

/** Whether two windows bound the same runs (so a panel need not ask again). */
export function sameWindow(a: ITimeWindow, b: ITimeWindow): boolean {
  return (
    (a.since ?? null) === (b.since ?? null) &&
    (a.until ?? null) === (b.until ?? null)
  );
}

/** The errors panel's heading: "Errors by cell", or "Errors from 10:02 to 10:12". */
export function errorsHeading(
  trans: TranslationBundle,
  time: TimeText,
  window: ITimeWindow
): string {
  const { since, until } = window;
  if (since && until) {
    return trans.__('Errors from %1 to %2', time(since), time(until));
  }
  if (since) {
    return trans.__('Errors since %1', time(since));
  }
  if (until) {
    return trans.__('Errors until %1', time(until));
  }
  return trans.__('Errors by cell');
}

/** What the errors panel says when it has none: so far, or in the window. */
export function noErrorsText(
  trans: TranslationBundle,
  window: ITimeWindow
): string {
  return isEverything(window)
    ? trans.__('No errors so far.')
    : trans.__('No errors in this time window.');
}

/** A student's timeline's title: "Timeline of alice", or "… from 10:02 to 10:12". */
export function timelineHeading(
  trans: TranslationBundle,
  time: TimeText,
  student: string,
  window: ITimeWindow
): string {
  const { since, until } = window;
  if (since && until) {
    return trans.__(
      'Timeline of %1 from %2 to %3',
      student,
      time(since),
      time(until)
    );
  }
  if (since) {
    return trans.__('Timeline of %1 since %2', student, time(since));
  }
  if (until) {
    return trans.__('Timeline of %1 until %2', student, time(until));
  }
  return trans.__('Timeline of %1', student);
}

/** What an empty timeline says: no runs yet, or none in the window. */
export function noRunsText(
  trans: TranslationBundle,
  window: ITimeWindow
): string {
  return isEverything(window)
    ? trans.__('No runs yet.')
    : trans.__('No runs in this time window.');
}
