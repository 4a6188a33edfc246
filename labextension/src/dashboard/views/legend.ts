/**
 * The grid's legend: what the colours and glyphs of a cell mean (a status never shows by
 * colour alone).
 */
import { el } from './dom';
import { Texts } from '../model/format';

/** The legend under the grid. */
export function legend(texts: Texts): HTMLElement {
  const { trans } = texts;
  const item = (status: string, text: string, title: string): HTMLElement => {
    const swatch = el('i', {
      className: 'pt-grid-cell',
      attrs: { 'aria-hidden': 'true' }
    });
    swatch.dataset.status = status;
    return el('span', { title }, [swatch, document.createTextNode(text)]);
  };
  const open = el('i', { className: 'pt-presence-dot' });
  open.dataset.open = 'true';
  return el('div', { className: 'pt-legend' }, [
    item(
      'not-run',
      trans.__('not run'),
      trans.__('the student has not run this cell')
    ),
    item(
      'running',
      trans.__('running'),
      trans.__('a run has started and not finished yet')
    ),
    item(
      'succeeded',
      trans.__('succeeded'),
      trans.__('the latest run succeeded')
    ),
    item(
      'failed',
      trans.__('failed'),
      trans.__('the latest run raised an error')
    ),
    item(
      'interrupted',
      trans.__('interrupted'),
      trans.__(
        'the student interrupted the latest run: neither a success nor an error'
      )
    ),
    el('span', { title: trans.__('the student has the notebook open now') }, [
      open,
      document.createTextNode(trans.__('open now'))
    ]),
    el('span', {
      text: trans.__(
        'outlined: just ran · hover or focus a cell for attempts and the last error, a column for its source · arrow keys move, Enter opens the timeline'
      )
    })
  ]);
}
