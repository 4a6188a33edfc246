/**
 * The drill-down's students: a listbox of their latest attempts (status by shape and text),
 * navigated with the arrow keys, Home and End, or a click.
 */
import { Texts } from '../model/format';
import type { IAttempt } from '../model/drilldown';
import { studentLabel } from '../model/pseudonyms';
import { clear, el } from './dom';

let nextList = 0;

/** The listbox of attempts; `onSelect` hears the student chosen. */
export class AttemptList {
  readonly node: HTMLElement;

  constructor(
    private readonly texts: Texts,
    private readonly onSelect: (student: string) => void
  ) {
    this._prefix = `pt-drill-list-${++nextList}`;
    this.node = el('ul', {
      className: 'pt-drill-list',
      attrs: {
        role: 'listbox',
        'aria-label': texts.trans.__('Students'),
        tabindex: '0'
      }
    });
    this.node.addEventListener('keydown', ev => this._onKey(ev));
  }

  /** Show `shown`, with `selected` the active option. */
  render(shown: readonly IAttempt[], selected: string | null): void {
    clear(this.node);
    this._shown = shown;
    this._selected = selected;
    shown.forEach(attempt => this.node.appendChild(this._option(attempt)));
    const active = shown.find(a => a.student === selected);
    if (active) {
      this.node.setAttribute('aria-activedescendant', this._id(active));
    } else {
      this.node.removeAttribute('aria-activedescendant');
    }
  }

  /** Empty the list. */
  clear(): void {
    this.render([], null);
  }

  private _option(attempt: IAttempt): HTMLElement {
    const { texts } = this;
    const swatch = el('i', { className: 'pt-grid-cell pt-drill-swatch' });
    swatch.dataset.status = attempt.status;
    const option = el(
      'li',
      {
        className: 'pt-drill-option',
        attrs: {
          role: 'option',
          id: this._id(attempt),
          'aria-selected': String(attempt.student === this._selected),
          'data-student': attempt.student
        }
      },
      [
        swatch,
        el('span', { text: studentLabel(attempt.student) }),
        el('span', {
          className: 'pt-hint',
          text: `${texts.status(attempt.status)} · ${texts.attempts(attempt.attempts)}`
        })
      ]
    );
    option.addEventListener('click', () => this.onSelect(attempt.student));
    return option;
  }

  private _id(attempt: IAttempt): string {
    const safe = encodeURIComponent(attempt.student).replace(/[^\w-]/g, '_');
    return `${this._prefix}-${safe}`;
  }

  private _onKey(ev: KeyboardEvent): void {
    const shown = this._shown;
    if (shown.length === 0) {
      return;
    }
    const at = Math.max(
      0,
      shown.findIndex(a => a.student === this._selected)
    );
    const next: Record<string, number> = {
      ArrowDown: Math.min(at + 1, shown.length - 1),
      ArrowUp: Math.max(at - 1, 0),
      Home: 0,
      End: shown.length - 1
    };
    if (ev.key in next) {
      ev.preventDefault();
      this.onSelect(shown[next[ev.key]].student);
    }
  }

  private _prefix: string;
  private _shown: readonly IAttempt[] = [];
  private _selected: string | null = null;
}
