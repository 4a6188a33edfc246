/**
 * Where the class is, per column: a bar under each column's header, as tall as the share of
 * students whose latest run of the cell succeeded. The numbers are also in the column's
 * description (for screen readers) and the bar's tooltip.
 */
import { clear, el } from './dom';
import { ICompletion, percent } from '../model/completion';
import { Texts } from '../model/format';
import type { ICellInfo } from '../types';

/** "12 of 40 students succeeded (30 %)". */
export function completionText(texts: Texts, completion: ICompletion): string {
  return texts.trans.__(
    '%1 of %2 succeeded (%3%)',
    texts.count(completion.succeeded),
    texts.students(completion.students),
    percent(completion)
  );
}

/** The strip of completion bars, between the header row and the rows. */
export class CompletionBars {
  /** The strip (hidden from assistive technology: the headers describe the same). */
  readonly node: HTMLElement;

  constructor(
    private readonly texts: Texts,
    private readonly widths: { name: number; cell: number }
  ) {
    this.node = el('div', {
      className: 'pt-grid-completion',
      attrs: { 'aria-hidden': 'true' }
    });
  }

  /** Show the bars of `cells`. */
  render(
    cells: readonly ICellInfo[],
    completion: ReadonlyMap<string, ICompletion>
  ): void {
    if (this.node.childElementCount !== cells.length + 1) {
      clear(this.node);
      const corner = el('div', {
        className: 'pt-grid-completion-corner',
        text: this.texts.trans.__('succeeded')
      });
      corner.style.width = `${this.widths.name}px`;
      this.node.appendChild(corner);
      for (let i = 0; i < cells.length; i++) {
        const bar = el('div', { className: 'pt-completion' }, [
          el('div', { className: 'pt-completion-fill' })
        ]);
        bar.style.width = `${this.widths.cell}px`;
        this.node.appendChild(bar);
      }
    }
    cells.forEach((cell, i) => {
      const bar = this.node.children[i + 1] as HTMLElement;
      const value = completion.get(cell.cellId);
      const share = value ? percent(value) : 0;
      bar.dataset.cellId = cell.cellId;
      bar.dataset.percent = String(share);
      bar.title = value ? completionText(this.texts, value) : '';
      (bar.firstChild as HTMLElement).style.height = `${share}%`;
    });
  }
}
