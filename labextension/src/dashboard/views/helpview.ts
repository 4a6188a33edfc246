/**
 * The "Needing help" list.
 */
import { clear, el } from './dom';
import { cellLabel, firstLine, plural, reasonLabel } from '../model/format';
import { IHelpEntry } from '../model/help';
import { ICellInfo } from '../types';

/** How many entries are shown at most (the rest is summarised). */
const MAX_SHOWN = 100;

/**
 * The list of students needing help, most urgent first, with the thresholds that define it.
 */
export class HelpView {
  /** The section's root element. */
  readonly node: HTMLElement;

  /**
   * @param onSelect - called with a user name when the instructor clicks a student.
   * @param onThresholds - called when the instructor changes a threshold.
   */
  constructor(
    private readonly onSelect: (userId: string) => void,
    onThresholds: (errorThreshold: number, idleMinutes: number) => void,
    errorThreshold: number,
    idleMinutes: number
  ) {
    this._errors = numberInput('pt-help-errors', errorThreshold, 1);
    this._idle = numberInput('pt-help-idle', idleMinutes, 1);
    const changed = (): void => {
      onThresholds(
        positive(this._errors.value, errorThreshold),
        positive(this._idle.value, idleMinutes)
      );
    };
    this._errors.addEventListener('change', changed);
    this._idle.addEventListener('change', changed);
    this._count = el('span', { className: 'pt-hint' });
    this._list = el('ul', {
      className: 'pt-help-list',
      attrs: { 'aria-live': 'polite' }
    });
    this.node = el('section', { className: 'pt-section pt-help' }, [
      el('div', { className: 'pt-section-header' }, [
        el('h2', { text: 'Needing help' }),
        this._count,
        el('label', { title: 'errors on one cell whose latest run failed' }, [
          document.createTextNode('errors ≥'),
          this._errors
        ]),
        el('label', { title: 'minutes without activity, once started' }, [
          document.createTextNode('idle ≥'),
          this._idle,
          document.createTextNode('min')
        ])
      ]),
      this._list
    ]);
  }

  /** Show the current list. */
  render(entries: readonly IHelpEntry[], cells: readonly ICellInfo[]): void {
    this._count.textContent = entries.length
      ? plural(entries.length, 'student')
      : '';
    clear(this._list);
    if (entries.length === 0) {
      this._list.appendChild(
        el('li', { className: 'pt-empty', text: 'Nobody is stuck right now.' })
      );
      return;
    }
    for (const entry of entries.slice(0, MAX_SHOWN)) {
      this._list.appendChild(this._item(entry, cells));
    }
    if (entries.length > MAX_SHOWN) {
      this._list.appendChild(
        el('li', {
          className: 'pt-empty',
          text: `and ${entries.length - MAX_SHOWN} more (sort the grid by "needing help")`
        })
      );
    }
  }

  private _item(entry: IHelpEntry, cells: readonly ICellInfo[]): HTMLElement {
    const name = el('button', {
      className: 'pt-link pt-help-user',
      text: entry.userId,
      title: `Show ${entry.userId}'s timeline`,
      attrs: { type: 'button' }
    });
    name.addEventListener('click', () => this.onSelect(entry.userId));
    const reasons = el(
      'span',
      { className: 'pt-help-reasons' },
      entry.reasons.map(r =>
        el('span', {
          className: `pt-badge pt-badge-${r.kind}`,
          text: reasonLabel(r, cells)
        })
      )
    );
    const current = cells.find(c => c.cellId === entry.currentCellId);
    const detail = el('div', { className: 'pt-help-detail' }, [
      el('span', {
        text: entry.currentCellId
          ? `at ${cellLabel(current)}`
          : 'no cell run yet'
      })
    ]);
    if (entry.lastError) {
      detail.appendChild(document.createTextNode(' · '));
      detail.appendChild(
        el('span', {
          className: 'pt-error-text pt-mono',
          text: firstLine(entry.lastError),
          title: entry.lastError
        })
      );
    }
    const item = el('li', { className: 'pt-help-item' }, [
      name,
      reasons,
      detail
    ]);
    item.dataset.user = entry.userId;
    return item;
  }

  private _errors: HTMLInputElement;
  private _idle: HTMLInputElement;
  private _count: HTMLElement;
  private _list: HTMLElement;
}

function numberInput(
  className: string,
  value: number,
  min: number
): HTMLInputElement {
  const input = el('input', {
    className,
    attrs: { type: 'number', min: String(min) }
  });
  input.value = String(value);
  return input;
}

function positive(text: string, fallback: number): number {
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
