/**
 * The lines of the help queue: a raised hand (wait, message, cell, Claim / Resolve) or a
 * student the rules infer needs help (marked "inferred", with the reasons; nothing to claim).
 */
import { el } from './dom';
import { cellLabel, firstLine, Texts } from '../model/format';
import type { HelpReason, IHelpEntry } from '../model/help';
import type { IRaisedHand } from '../model/helpqueue';
import { studentLabel } from '../model/pseudonyms';
import { ICellInfo } from '../types';

/** What a line's buttons do. */
export interface IHelpActions {
  onSelect: (userId: string) => void;
  onChange: (hand: IRaisedHand, action: 'claim' | 'resolve') => void;
}

function nameButton(
  texts: Texts,
  userId: string,
  actions: IHelpActions
): HTMLElement {
  const label = studentLabel(userId);
  const name = el('button', {
    className: 'pt-link pt-help-user',
    text: label,
    title: texts.trans.__("Show %1's timeline", label),
    attrs: { type: 'button' }
  });
  name.addEventListener('click', () => actions.onSelect(userId));
  return name;
}

function reasonBadges(
  texts: Texts,
  reasons: readonly HelpReason[],
  cells: readonly ICellInfo[]
): HTMLElement[] {
  return reasons.map(r =>
    el('span', {
      className: `pt-badge pt-badge-${r.kind}`,
      text: texts.reasonLabel(r, cells)
    })
  );
}

/** Where a hand was raised: a cell of the exercise shown, else "a cell" (never a raw id). */
export function cellText(
  texts: Texts,
  cellId: string | null,
  cells: readonly ICellInfo[]
): string {
  if (!cellId) {
    return texts.trans.__('no cell');
  }
  const cell = cells.find(c => c.cellId === cellId);
  // Another exercise's hand (or a cell since deleted): its id means nothing to a person.
  return cell
    ? texts.trans.__('at %1', cellLabel(cell))
    : texts.trans.__('a cell');
}

/** How long a waiting hand has waited, e.g. "waiting 12 min". */
export function waitText(texts: Texts, waitingMs: number): string {
  return texts.trans.__('waiting %1', texts.duration(waitingMs));
}

/** Where an inferred student is, e.g. "at [3]". */
export function inferredCell(
  texts: Texts,
  entry: IHelpEntry,
  cells: readonly ICellInfo[]
): string {
  const current = cells.find(c => c.cellId === entry.currentCellId);
  return entry.currentCellId
    ? texts.trans.__('at %1', cellLabel(current))
    : texts.trans.__('no cell run yet');
}

/** The line of a raised hand. */
export function raisedItem(
  texts: Texts,
  hand: IRaisedHand,
  waitingMs: number,
  reasons: readonly HelpReason[],
  cells: readonly ICellInfo[],
  actions: IHelpActions
): HTMLElement {
  const { trans } = texts;
  const label = studentLabel(hand.student);
  const status =
    hand.state === 'claimed'
      ? trans.__('claimed by %1', hand.claimedBy ?? '?')
      : waitText(texts, waitingMs);
  const badges = el('span', { className: 'pt-help-reasons' }, [
    el('span', {
      className: 'pt-badge pt-badge-hand',
      text: trans.__('hand raised')
    }),
    el('span', { className: 'pt-help-wait', text: status }),
    ...reasonBadges(texts, reasons, cells)
  ]);
  const notebook = hand.notebook.split('/').pop() || hand.notebook;
  const detail = el('div', { className: 'pt-help-detail' }, [
    el('span', { text: `${cellText(texts, hand.cellId, cells)} · ${notebook}` })
  ]);
  if (hand.message) {
    detail.appendChild(
      el('q', {
        className: 'pt-help-message',
        text: hand.message,
        title: hand.message
      })
    );
  }
  const buttons: HTMLElement[] = [];
  const button = (action: 'claim' | 'resolve', text: string, aria: string) => {
    const b = el('button', {
      className: `jp-mod-styled pt-help-${action}`,
      text,
      attrs: { type: 'button', 'aria-label': aria }
    });
    b.addEventListener('click', () => actions.onChange(hand, action));
    buttons.push(b);
  };
  if (hand.state === 'waiting') {
    button('claim', trans.__('Claim'), trans.__("Claim %1's hand", label));
  }
  button('resolve', trans.__('Resolve'), trans.__("Resolve %1's hand", label));
  const item = el('li', { className: 'pt-help-item pt-help-raised' }, [
    nameButton(texts, hand.student, actions),
    badges,
    detail,
    el('div', { className: 'pt-help-actions' }, buttons)
  ]);
  item.dataset.user = hand.student;
  item.dataset.state = hand.state;
  item.dataset.entry = String(hand.id);
  return item;
}

/** The line of a student the rules infer needs help. */
export function inferredItem(
  texts: Texts,
  entry: IHelpEntry,
  cells: readonly ICellInfo[],
  actions: IHelpActions
): HTMLElement {
  const { trans } = texts;
  const badges = el('span', { className: 'pt-help-reasons' }, [
    el('span', {
      className: 'pt-badge pt-badge-inferred',
      text: trans.__('inferred'),
      title: trans.__(
        'Not a raised hand: what the grid shows (the rules above)'
      )
    }),
    ...reasonBadges(texts, entry.reasons, cells)
  ]);
  const detail = el('div', { className: 'pt-help-detail' }, [
    el('span', { text: inferredCell(texts, entry, cells) })
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
  const item = el('li', { className: 'pt-help-item pt-help-inferred' }, [
    nameButton(texts, entry.userId, actions),
    badges,
    detail
  ]);
  item.dataset.user = entry.userId;
  return item;
}
