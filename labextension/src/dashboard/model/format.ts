/**
 * Texts shown in the dashboard: translated with JupyterLab's translator, numbers and times
 * written with `Intl` for the user's language. Pure logic, no DOM.
 *
 * Note for translators: in plural messages `%1` is the raw count (gettext's rule) and `%2` the
 * same count written for the locale (e.g. "1,234"); the messages show `%2`.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { HelpReason } from './help';
import type { IPresenceView } from './presence';
import type {
  CellStatus,
  ICellInfo,
  ICellProgress,
  IErrorGroup,
  IOwnCells
} from '../types';
import { cellLabel, firstLine } from './labels';
import { studentLabel } from './pseudonyms';

export { cellLabel, cellPosition, exportFileName, firstLine } from './labels';

/**
 * The dashboard's texts in one language.
 */
export class Texts {
  /**
   * @param trans - the dashboard's translation bundle
   * @param locale - a BCP 47 language tag for numbers and times (the translator's language)
   */
  constructor(
    readonly trans: TranslationBundle,
    locale: string
  ) {
    const unit = (name: string) =>
      new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: name,
        unitDisplay: 'short',
        maximumFractionDigits: 0
      });
    this._number = new Intl.NumberFormat(locale);
    this._minutes = unit('minute');
    this._hours = unit('hour');
    this._milliseconds = unit('millisecond');
    // A 24-hour clock, as a class session's timeline needs no AM/PM.
    this._clock = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23'
    });
    this._hourMinute = new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    });
  }

  /** A count written for the locale, e.g. "1,234". */
  count(n: number): string {
    return this._number.format(n);
  }

  /** "1 student" / "14 students". */
  students(n: number): string {
    return this.trans._n('%2 student', '%2 students', n, this.count(n));
  }

  /** "1 cell" / "60 cells". */
  cells(n: number): string {
    return this.trans._n('%2 cell', '%2 cells', n, this.count(n));
  }

  /** "1 error" / "4 errors". */
  errors(n: number): string {
    return this.trans._n('%2 error', '%2 errors', n, this.count(n));
  }

  /** "1 attempt" / "4 attempts". */
  attempts(n: number): string {
    return this.trans._n('%2 attempt', '%2 attempts', n, this.count(n));
  }

  /** "(1 time)" / "(3 times)": how often an error occurred. */
  occurrences(n: number): string {
    return this.trans._n('(%2 time)', '(%2 times)', n, this.count(n));
  }

  /** A run's duration, e.g. "15 ms". */
  milliseconds(ms: number): string {
    return this._milliseconds.format(Math.round(ms));
  }

  /** A short duration in whole minutes, e.g. "12 min" or "2 hr 5 min" (in English). */
  duration(ms: number): string {
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    if (minutes < 60) {
      return this._minutes.format(minutes);
    }
    const hours = this._hours.format(Math.floor(minutes / 60));
    const rest = minutes % 60;
    return rest
      ? this.trans.__('%1 %2', hours, this._minutes.format(rest))
      : hours;
  }

  /** The local wall-clock time of an ISO time, e.g. "10:42:07". */
  clockTime(iso: string | null | undefined): string {
    const date = this._date(iso);
    return date ? this._clock.format(date) : (iso ?? '');
  }

  /** Hours and minutes of an ISO time, e.g. "10:42" (the pace chart's axis). */
  hourMinute(iso: string | null | undefined): string {
    const date = this._date(iso);
    return date ? this._hourMinute.format(date) : (iso ?? '');
  }

  /** One line of the grouped errors, e.g. "KeyError: 'price' — 14 students". */
  errorGroupLabel(
    group: Pick<IErrorGroup, 'errorMessage' | 'students'>
  ): string {
    return this.trans.__(
      '%1 — %2',
      firstLine(group.errorMessage) || this.trans.__('(no message)'),
      this.students(group.students)
    );
  }

  /** A reason a student needs help, e.g. "4 errors on [3]" or "idle 12 min". */
  reasonLabel(reason: HelpReason, cells: readonly ICellInfo[]): string {
    if (reason.kind === 'errors') {
      const cell = cells.find(c => c.cellId === reason.cellId);
      return this.trans.__(
        '%1 on %2',
        this.errors(reason.errors),
        cellLabel(cell)
      );
    }
    return this.trans.__('idle %1', this.duration(reason.idleMs));
  }

  /** A cell status in words (the grid also shows it by colour and shape). */
  status(status: CellStatus): string {
    const { trans } = this;
    switch (status) {
      case 'running':
        return trans.__('running');
      case 'failed':
        return trans.__('failed');
      case 'interrupted':
        return trans.__('interrupted');
      default:
        return trans.__('succeeded');
    }
  }

  /** The hover text of one grid cell. */
  cellTooltip(
    userId: string,
    cell: ICellInfo,
    progress: ICellProgress | undefined
  ): string {
    const { trans } = this;
    const lines = [
      trans.__('%1 · cell %2', studentLabel(userId), cellLabel(cell))
    ];
    if (!progress) {
      lines.push(trans.__('not run'));
      return lines.join('\n');
    }
    const running = progress.status === 'running';
    const status = this.status(progress.status);
    const attempts =
      running && progress.attempts === 0
        ? trans.__('first run')
        : this.attempts(progress.attempts);
    lines.push(
      progress.errors
        ? trans.__(
            '%1 · %2 · %3',
            status,
            attempts,
            this.errors(progress.errors)
          )
        : trans.__('%1 · %2', status, attempts)
    );
    if (progress.lastError) {
      lines.push(trans.__('last error: %1', progress.lastError));
    }
    if (progress.lastActivity) {
      const at = this.clockTime(progress.lastActivity);
      lines.push(
        running ? trans.__('started: %1', at) : trans.__('last run: %1', at)
      );
    }
    return lines.join('\n');
  }

  /** A student's own cells, e.g. "5 runs · 2 errors". */
  ownCells(own: Readonly<IOwnCells>): string {
    const runs = this.trans._n(
      '%2 run',
      '%2 runs',
      own.runs,
      this.count(own.runs)
    );
    return own.errors
      ? this.trans.__('%1 · %2', runs, this.errors(own.errors))
      : runs;
  }

  /**
   * A student's row details, e.g. "ada · open now · first opened 10:02:11 · last saved
   * 10:40:00".
   */
  presence(userId: string, presence: IPresenceView | undefined): string {
    const name = studentLabel(userId);
    return presence ? `${name} · ${this.presenceDetails(presence)}` : name;
  }

  /** A student's presence, e.g. "open now · first opened 10:02:11 · last saved 10:40:00". */
  presenceDetails(presence: IPresenceView): string {
    const { trans } = this;
    const parts = [presence.open ? trans.__('open now') : trans.__('not open')];
    if (presence.firstOpened) {
      parts.push(
        trans.__('first opened %1', this.clockTime(presence.firstOpened))
      );
    }
    if (presence.lastSaved) {
      parts.push(trans.__('last saved %1', this.clockTime(presence.lastSaved)));
    }
    return parts.join(' · ');
  }

  /** A readable message for a failed request, e.g. "Could not load the errors: … (HTTP 502)". */
  failure(what: string, reason: unknown): string {
    const status = (reason as { response?: { status?: unknown } } | null)
      ?.response?.status;
    if (status === 403) {
      return this.trans.__(
        "%1: only instructors may see the class's progress.",
        what
      );
    }
    const message = reason instanceof Error ? reason.message : String(reason);
    return typeof status === 'number'
      ? this.trans.__('%1: %2 (HTTP %3)', what, message, String(status))
      : this.trans.__('%1: %2', what, message);
  }

  private _date(iso: string | null | undefined): Date | null {
    if (!iso) {
      return null;
    }
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  private _number: Intl.NumberFormat;
  private _minutes: Intl.NumberFormat;
  private _hours: Intl.NumberFormat;
  private _milliseconds: Intl.NumberFormat;
  private _clock: Intl.DateTimeFormat;
  private _hourMinute: Intl.DateTimeFormat;
}
