/**
 * Where the dashboard's parts go: the toolbar and messages on top, the help list and the grid
 * on the left, a student's timeline, the pace and the errors on the right.
 */
import { el } from './dom';
import { Texts } from '../model/format';

/** The parts of the dashboard, as elements. */
export interface IDashboardParts {
  toolbar: HTMLElement;
  message: HTMLElement;
  help: HTMLElement;
  summary: HTMLElement;
  grid: HTMLElement;
  timeline: HTMLElement;
  pace: HTMLElement;
  errors: HTMLElement;
}

/** Put the parts into `node`. */
export function layOut(
  node: HTMLElement,
  texts: Texts,
  parts: IDashboardParts
): void {
  const gridSection = el('section', { className: 'pt-section pt-class' }, [
    el('div', { className: 'pt-section-header' }, [
      el('h2', { text: texts.trans.__('Class') }),
      parts.summary
    ]),
    parts.grid
  ]);
  node.appendChild(parts.toolbar);
  node.appendChild(parts.message);
  node.appendChild(
    el('div', { className: 'pt-columns' }, [
      el('div', { className: 'pt-column' }, [parts.help, gridSection]),
      el('div', { className: 'pt-column' }, [
        parts.timeline,
        parts.pace,
        parts.errors
      ])
    ])
  );
}
