/**
 * The errors of the notebook, grouped per cell and per message.
 */
import { clear, el } from './dom';
import { requestDrilldown } from './drilldownevent';
import { cellLabel, Texts } from '../model/format';
import { IErrorsResponse } from '../types';
import { studentLabel } from '../model/pseudonyms';
import type { ITimeWindow } from '../model/window';
import { errorsHeading, EVERYTHING, noErrorsText } from '../model/windowscope';

/** How many distinct errors are shown per cell. */
const GROUPS_PER_CELL = 5;

/**
 * "KeyError: 'price' — 14 students", per cell, with an example of the code that raised it.
 */
export class ErrorsView {
  /** The section's root element. */
  readonly node: HTMLElement;

  constructor(private readonly texts: Texts) {
    this._body = el('div', { className: 'pt-errors' });
    this._heading = el('h2', { text: texts.trans.__('Errors by cell') });
    this.node = el('section', { className: 'pt-section' }, [
      el('div', { className: 'pt-section-header' }, [this._heading]),
      this._body
    ]);
  }

  /** Show a response of `GET api/v1/errors`, asked within `window` (said in the heading). */
  render(response: IErrorsResponse, window: ITimeWindow = EVERYTHING): void {
    const { trans } = this.texts;
    this._heading.textContent = errorsHeading(
      trans,
      iso => this.texts.hourMinute(iso),
      window
    );
    clear(this._body);
    const cells = response.cells
      .filter(c => c.errors.length > 0)
      .sort((a, b) => (a.cellIndex ?? Infinity) - (b.cellIndex ?? Infinity));
    if (cells.length === 0) {
      this._body.appendChild(
        el('div', {
          className: 'pt-empty',
          text: noErrorsText(trans, window)
        })
      );
      return;
    }
    for (const cell of cells) {
      const section = el('div', { className: 'pt-errors-cell' }, [
        el('h3', { text: trans.__('Cell %1', cellLabel(cell)) })
      ]);
      for (const group of cell.errors.slice(0, GROUPS_PER_CELL)) {
        const summary = el('summary', {}, [
          el('span', {
            className: 'pt-error-text pt-mono',
            text: this.texts.errorGroupLabel(group)
          }),
          el('span', {
            className: 'pt-errors-count',
            text: this.texts.occurrences(group.occurrences)
          })
        ]);
        const details = el('details', { className: 'pt-errors-group' }, [
          summary
        ]);
        if (group.exampleCode) {
          details.appendChild(
            el('div', {
              className: 'pt-hint',
              text: group.exampleUser
                ? trans.__(
                    'for example, %1 ran:',
                    studentLabel(group.exampleUser)
                  )
                : trans.__('for example:')
            })
          );
          details.appendChild(
            el('pre', { className: 'pt-code', text: group.exampleCode })
          );
        }
        const students = group.studentsNow;
        if (students) {
          // Who has it now, in the drill-down (servers from before send no names).
          const open = el('button', {
            className: 'pt-errors-open',
            text: trans._n(
              'Show the %2 student who has it now',
              'Show the %2 students who have it now',
              students.length,
              this.texts.count(students.length)
            ),
            attrs: { type: 'button' }
          });
          open.addEventListener('click', () =>
            requestDrilldown(open, {
              cellId: cell.cellId,
              group: { errorMessage: group.errorMessage, students }
            })
          );
          details.appendChild(open);
        }
        section.appendChild(details);
      }
      if (cell.errors.length > GROUPS_PER_CELL) {
        section.appendChild(
          el('div', {
            className: 'pt-empty',
            text: trans._n(
              'and %2 other error',
              'and %2 other errors',
              cell.errors.length - GROUPS_PER_CELL,
              this.texts.count(cell.errors.length - GROUPS_PER_CELL)
            )
          })
        );
      }
      this._body.appendChild(section);
    }
  }

  /** Show a failure to load. */
  renderError(message: string): void {
    clear(this._body);
    this._body.appendChild(
      el('div', { className: 'pt-message-error', text: message })
    );
  }

  private _body: HTMLElement;
  private _heading: HTMLElement;
}
