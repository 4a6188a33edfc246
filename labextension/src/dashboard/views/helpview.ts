/**
 * The "Needing help" list.
 */
import { clear, el } from './dom';
import { cellLabel, firstLine, Texts } from '../model/format';
import { IHelpEntry } from '../model/help';
import { ICellInfo } from '../types';
import { studentLabel } from '../model/pseudonyms';

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
    private readonly texts: Texts,
    private readonly onSelect: (userId: string) => void,
    onThresholds: (errorThreshold: number, idleMinutes: number) => void,
    errorThreshold: number,
    idleMinutes: number
  ) {
    const { trans } = texts;
    this._errors = numberInput('pt-help-errors', errorThreshold, 1);
    this._idle = numberInput('pt-help-idle', idleMinutes, 1);
    this._shown = { errorThreshold, idleMinutes };
    const changed = (): void => {
      this._shown = {
        errorThreshold: positive(
          this._errors.value,
          this._shown.errorThreshold
        ),
        idleMinutes: positive(this._idle.value, this._shown.idleMinutes)
      };
      onThresholds(this._shown.errorThreshold, this._shown.idleMinutes);
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
        el('h2', { text: trans.__('Needing help') }),
        this._count,
        el(
          'label',
          { title: trans.__('errors on one cell whose latest run failed') },
          [document.createTextNode(trans.__('errors ≥')), this._errors]
        ),
        el(
          'label',
          { title: trans.__('minutes without activity, once started') },
          [
            document.createTextNode(trans.__('idle ≥')),
            this._idle,
            document.createTextNode(trans.__('min'))
          ]
        )
      ]),
      this._list
    ]);
  }

  /**
   * Show thresholds that did not come from the instructor's input (the server's defaults).
   */
  setThresholds(errorThreshold: number, idleMinutes: number): void {
    this._shown = { errorThreshold, idleMinutes };
    this._errors.value = String(errorThreshold);
    this._idle.value = String(idleMinutes);
  }

  /** Show the current list. */
  render(entries: readonly IHelpEntry[], cells: readonly ICellInfo[]): void {
    const { trans } = this.texts;
    this._count.textContent = entries.length
      ? this.texts.students(entries.length)
      : '';
    clear(this._list);
    if (entries.length === 0) {
      this._list.appendChild(
        el('li', {
          className: 'pt-empty',
          text: trans.__('Nobody is stuck right now.')
        })
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
          text: trans.__(
            'and %1 more (sort the grid by "needing help")',
            this.texts.count(entries.length - MAX_SHOWN)
          )
        })
      );
    }
  }

  private _item(entry: IHelpEntry, cells: readonly ICellInfo[]): HTMLElement {
    const { trans } = this.texts;
    const name = el('button', {
      className: 'pt-link pt-help-user',
      text: studentLabel(entry.userId),
      title: trans.__("Show %1's timeline", studentLabel(entry.userId)),
      attrs: { type: 'button' }
    });
    name.addEventListener('click', () => this.onSelect(entry.userId));
    const reasons = el(
      'span',
      { className: 'pt-help-reasons' },
      entry.reasons.map(r =>
        el('span', {
          className: `pt-badge pt-badge-${r.kind}`,
          text: this.texts.reasonLabel(r, cells)
        })
      )
    );
    const current = cells.find(c => c.cellId === entry.currentCellId);
    const detail = el('div', { className: 'pt-help-detail' }, [
      el('span', {
        text: entry.currentCellId
          ? trans.__('at %1', cellLabel(current))
          : trans.__('no cell run yet')
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

  private _shown: { errorThreshold: number; idleMinutes: number };
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
