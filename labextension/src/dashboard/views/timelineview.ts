/**
 * One student's timeline: the code they ran, in order, and what it raised.
 */
import { clear, el } from './dom';
import { cellLabel, Texts } from '../model/format';
import { ICellInfo, ILiveEvent } from '../types';
import { studentLabel } from '../model/pseudonyms';
import type { ITimeWindow } from '../model/window';
import { EVERYTHING, noRunsText, timelineHeading } from '../model/windowscope';

/**
 * A student's executions in the selected notebook.
 */
export class TimelineView {
  /** The section's root element. */
  readonly node: HTMLElement;

  /**
   * @param onClose - called when the instructor closes the timeline.
   */
  constructor(
    private readonly texts: Texts,
    onClose: () => void
  ) {
    const { trans } = texts;
    this._title = el('h2', { text: trans.__('Student timeline') });
    this._hint = el('span', { className: 'pt-hint' });
    const close = el('button', {
      className: 'pt-button pt-button-plain',
      text: trans.__('Close'),
      attrs: { type: 'button' }
    });
    close.addEventListener('click', onClose);
    // A scrolling list: focusable, so that the keyboard can scroll it too (WCAG 2.1.1).
    this._list = el('ol', {
      className: 'pt-timeline-list',
      attrs: { tabindex: '0', 'aria-label': texts.trans.__('Runs') }
    });
    this.node = el('section', { className: 'pt-section pt-timeline' }, [
      el('div', { className: 'pt-section-header' }, [
        this._title,
        this._hint,
        close
      ]),
      this._list
    ]);
    this.node.style.display = 'none';
  }

  /** The student shown, or `null`. */
  get userId(): string | null {
    return this._userId;
  }

  /** Show the timeline as loading for `userId`. */
  showLoading(userId: string, window: ITimeWindow = EVERYTHING): void {
    this._userId = userId;
    this.node.style.display = '';
    this._title.textContent = this._heading(userId, window);
    this._hint.textContent = this.texts.trans.__('loading…');
    clear(this._list);
  }

  /**
   * Show a student's executions, oldest first, and their presence `details`; `window` is
   * the time window they were asked within (said in the title).
   */
  render(
    userId: string,
    executions: readonly ILiveEvent[],
    cells: readonly ICellInfo[],
    details = '',
    window: ITimeWindow = EVERYTHING
  ): void {
    const { trans } = this.texts;
    this._userId = userId;
    this.node.style.display = '';
    this._title.textContent = this._heading(userId, window);
    const runs = trans._n(
      '%2 run',
      '%2 runs',
      executions.length,
      this.texts.count(executions.length)
    );
    // The student's presence ("open now · first opened …"), when known.
    this._hint.textContent = details
      ? trans.__('%1 · %2', runs, details)
      : runs;
    clear(this._list);
    if (executions.length === 0) {
      this._list.appendChild(
        el('li', { className: 'pt-empty', text: noRunsText(trans, window) })
      );
    }
    for (const run of executions) {
      const cell = cells.find(c => c.cellId === run.cellId) ?? {
        cellIndex: run.cellIndex ?? null
      };
      const meta = el('div', { className: 'pt-timeline-meta' }, [
        el('span', {
          text: this.texts.clockTime(run.eventTime),
          title: run.eventTime
        }),
        el('span', { text: trans.__('cell %1', cellLabel(cell)) }),
        el('span', {
          className: 'pt-timeline-outcome',
          text: run.hasError ? trans.__('error') : trans.__('ok')
        })
      ]);
      if (typeof run.executionDurationMs === 'number') {
        meta.appendChild(
          el('span', {
            text: this.texts.milliseconds(run.executionDurationMs)
          })
        );
      }
      const item = el('li', { className: 'pt-timeline-item' }, [meta]);
      item.dataset.error = String(Boolean(run.hasError));
      item.appendChild(
        el('pre', { className: 'pt-code', text: run.code ?? '' })
      );
      if (run.hasError && run.errorMessage) {
        item.appendChild(
          el('pre', {
            className: 'pt-error-text pt-mono',
            text: run.errorMessage
          })
        );
      }
      this._list.appendChild(item);
    }
    this._list.scrollTop = this._list.scrollHeight;
  }

  /** Show a failure to load. */
  renderError(
    userId: string,
    message: string,
    window: ITimeWindow = EVERYTHING
  ): void {
    this.showLoading(userId, window);
    this._hint.textContent = '';
    this._list.appendChild(
      el('li', { className: 'pt-message-error', text: message })
    );
  }

  /** Hide the timeline. */
  hide(): void {
    this._userId = null;
    this.node.style.display = 'none';
    clear(this._list);
  }

  private _heading(userId: string, window: ITimeWindow): string {
    return timelineHeading(
      this.texts.trans,
      iso => this.texts.hourMinute(iso),
      studentLabel(userId),
      window
    );
  }

  private _userId: string | null = null;
  private _title: HTMLElement;
  private _hint: HTMLElement;
  private _list: HTMLElement;
}
