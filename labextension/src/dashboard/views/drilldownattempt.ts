/**
 * One student's latest attempt in the drill-down: status, counts, time, code (read-only,
 * highlighted), result, error and the struggle signals with their published definitions.
 */
import { Texts } from '../model/format';
import {
  IAttempt,
  IDrilldown,
  ISignals,
  SIGNAL_NAMES,
  signalText
} from '../model/drilldown';
import { studentLabel } from '../model/pseudonyms';
import { codeBlock, ICodeBlock } from './drilldowncode';
import { el } from './dom';

/** A distinct prefix per rendering, for the ids the signals' descriptions take. */
let nextId = 0;

/** The name of a signal on screen. */
export function signalName(texts: Texts, name: keyof ISignals): string {
  const { trans } = texts;
  switch (name) {
    case 'errorQuotient':
      return trans.__('Error Quotient');
    case 'repeatedErrorDensity':
      return trans.__('Repeated Error Density');
    case 'timeOnCellS':
      return trans.__('Time on cell');
    default:
      return trans.__('Attempts since success');
  }
}

/** The details of `attempt`; dispose the code view with it. */
export function attemptDetails(
  texts: Texts,
  attempt: IAttempt,
  definitions: IDrilldown['definitions']
): { node: HTMLElement; code: ICodeBlock | null } {
  const { trans } = texts;
  const name = studentLabel(attempt.student);
  const swatch = el('i', { className: 'pt-grid-cell pt-drill-swatch' });
  swatch.dataset.status = attempt.status;
  const counts = trans.__(
    '%1 · %2 · %3',
    texts.attempts(attempt.attempts),
    texts.errors(attempt.errors),
    attempt.lastAt
      ? trans.__('last run: %1', texts.clockTime(attempt.lastAt))
      : trans.__('no result yet')
  );
  const node = el('div', { className: 'pt-drill-attempt' }, [
    el('h3', {}, [
      swatch,
      document.createTextNode(
        trans.__('%1 · %2', name, texts.status(attempt.status))
      )
    ]),
    el('div', { className: 'pt-hint', text: counts })
  ]);
  let code: ICodeBlock | null = null;
  if (attempt.code !== null) {
    code = codeBlock(attempt.code, trans.__('Code %1 ran', name));
    node.appendChild(code.node);
  } else {
    node.appendChild(
      el('div', { className: 'pt-empty', text: trans.__('No code sent.') })
    );
  }
  if (attempt.errorMessage) {
    node.appendChild(
      el('div', { className: 'pt-hint', text: trans.__('Error') })
    );
    node.appendChild(
      el('pre', {
        className: 'pt-code pt-drill-error',
        text: attempt.errorMessage
      })
    );
  }
  if (attempt.result) {
    node.appendChild(
      el('div', { className: 'pt-hint', text: trans.__('Result') })
    );
    node.appendChild(el('pre', { className: 'pt-code', text: attempt.result }));
  }
  node.appendChild(signalList(texts, attempt.signals, definitions));
  return { node, code };
}

/** The four signals, each with its definition on hover (title) and for assistive technology. */
function signalList(
  texts: Texts,
  signals: ISignals,
  definitions: IDrilldown['definitions']
): HTMLElement {
  const prefix = `pt-signal-${++nextId}`;
  const list = el('dl', { className: 'pt-drill-signals' });
  const descriptions = el('div');
  descriptions.hidden = true;
  for (const name of SIGNAL_NAMES) {
    const definition = definitions[name] ?? '';
    const id = `${prefix}-${name}`;
    list.appendChild(
      el('dt', {
        text: signalName(texts, name),
        title: definition,
        attrs: { 'aria-describedby': id, tabindex: '0', 'data-signal': name }
      })
    );
    list.appendChild(el('dd', { text: signalText(name, signals) }));
    descriptions.appendChild(el('div', { text: definition, attrs: { id } }));
  }
  return el('div', {}, [list, descriptions]);
}
