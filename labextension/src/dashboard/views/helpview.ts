/**
 * The help queue: raised hands, the longest waiting first, with Claim and Resolve, then the
 * students the "needing help" rules infer (marked as inferred), with the thresholds of those
 * rules. Raised hands come from every exercise of the user's scope, whichever is shown.
 */
import { el } from './dom';
import { Texts } from '../model/format';
import { IHelpEntry } from '../model/help';
import { mergeQueue, QueueItem } from '../model/helpqueue';
import { studentLabel } from '../model/pseudonyms';
import type { HelpQueueSync } from '../net/helpsync';
import { ICellInfo } from '../types';
import {
  cellText,
  IHelpActions,
  inferredCell,
  inferredItem,
  raisedItem,
  waitText
} from './helpitems';
import { IWantedLine, KeyedLines } from './helplines';

/** How many entries are shown at most (the rest is summarised). */
const MAX_SHOWN = 100;

/**
 * The help queue section.
 */
export class HelpView {
  /** The section's root element. */
  readonly node: HTMLElement;

  /**
   * @param onSelect - called with a user name when the instructor clicks a student.
   * @param onThresholds - called when the instructor changes a threshold.
   * @param queue - the raised hands (started by {@link HelpView.start})
   */
  constructor(
    private readonly texts: Texts,
    onSelect: (userId: string) => void,
    onThresholds: (errorThreshold: number, idleMinutes: number) => void,
    errorThreshold: number,
    idleMinutes: number,
    private readonly queue: HelpQueueSync | null = null
  ) {
    const { trans } = texts;
    this._actions = {
      onSelect,
      onChange: (hand, action) => void this._change(hand.id, action)
    };
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
    this._status = el('div', {
      className: 'pt-help-status',
      attrs: { role: 'status' }
    });
    this._list = el('ul', {
      className: 'pt-help-list',
      attrs: { 'aria-live': 'polite', 'aria-label': trans.__('Help queue') }
    });
    this._lines = new KeyedLines(this._list);
    this.node = el('section', { className: 'pt-section pt-help' }, [
      el('div', { className: 'pt-section-header' }, [
        el('h2', { text: trans.__('Help queue') }),
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
      this._status,
      this._list
    ]);
    queue?.changed.connect(() => this._draw(), this);
  }

  /** Read the raised hands and follow them. */
  start(): void {
    this.queue?.start();
  }

  /** Stop following the raised hands. */
  dispose(): void {
    this.queue?.dispose();
  }

  /**
   * Show thresholds that did not come from the instructor's input (the server's defaults).
   */
  setThresholds(errorThreshold: number, idleMinutes: number): void {
    this._shown = { errorThreshold, idleMinutes };
    this._errors.value = String(errorThreshold);
    this._idle.value = String(idleMinutes);
  }

  /** Show the queue with the students the rules infer now (`entries`). */
  render(entries: readonly IHelpEntry[], cells: readonly ICellInfo[]): void {
    this._inferred = entries;
    this._cells = cells;
    this._draw();
  }

  private _draw(): void {
    const { trans } = this.texts;
    const hands = this.queue?.hands ?? [];
    const items = mergeQueue(hands, this._inferred, Date.now());
    this._count.textContent = items.length
      ? trans.__(
          '%1 raised · %2 inferred',
          this.texts.count(hands.length),
          this.texts.count(items.length - hands.length)
        )
      : '';
    // Line by line, so a button keeps its node; the focus is put back should a move drop it.
    const focused = focusKey(this._list);
    this._lines.update(this._wanted(items));
    if (focused !== focusKey(this._list)) {
      refocus(this._list, focused);
    }
  }

  private _wanted(items: QueueItem[]): IWantedLine[] {
    const { texts } = this;
    const { trans } = texts;
    if (items.length === 0) {
      const text = trans.__('No raised hand, and nobody is stuck right now.');
      return [placeholder('empty', text)];
    }
    const cells = this._cells;
    const wanted = items.slice(0, MAX_SHOWN).map((item): IWantedLine => {
      if (item.kind === 'inferred') {
        const { entry } = item;
        return {
          key: `user:${entry.userId}`,
          content: JSON.stringify([
            studentLabel(entry.userId),
            entry.reasons.map(r => texts.reasonLabel(r, cells)),
            inferredCell(texts, entry, cells),
            entry.lastError
          ]),
          build: () => inferredItem(texts, entry, cells, this._actions)
        };
      }
      const { hand, waitingMs, reasons } = item;
      return {
        key: `hand:${hand.id}`,
        content: JSON.stringify([
          studentLabel(hand.student),
          hand,
          reasons.map(r => texts.reasonLabel(r, cells)),
          cellText(texts, hand.cellId, cells)
        ]),
        wait: hand.state === 'waiting' ? waitText(texts, waitingMs) : undefined,
        build: () =>
          raisedItem(texts, hand, waitingMs, reasons, cells, this._actions)
      };
    });
    if (items.length > MAX_SHOWN) {
      const more = trans.__(
        'and %1 more (sort the grid by "needing help")',
        texts.count(items.length - MAX_SHOWN)
      );
      wanted.push(placeholder('more', more));
    }
    return wanted;
  }

  private async _change(
    id: number,
    action: 'claim' | 'resolve'
  ): Promise<void> {
    const { texts } = this;
    this._status.textContent = '';
    try {
      await this.queue?.change(id, action);
    } catch (reason) {
      this._status.textContent = texts.failure(
        action === 'claim'
          ? texts.trans.__('Could not claim the hand')
          : texts.trans.__('Could not resolve the hand'),
        reason
      );
    }
  }

  private _actions: IHelpActions;
  private _inferred: readonly IHelpEntry[] = [];
  private _cells: readonly ICellInfo[] = [];
  private _shown: { errorThreshold: number; idleMinutes: number };
  private _errors: HTMLInputElement;
  private _idle: HTMLInputElement;
  private _count: HTMLElement;
  private _status: HTMLElement;
  private _list: HTMLElement;
  private _lines: KeyedLines;
}

/** Which line and button of the list has the focus (`null`: none). */
function focusKey(list: HTMLElement): string | null {
  const active = document.activeElement as HTMLElement | null;
  const item = active?.closest<HTMLElement>('.pt-help-item');
  if (!active || !item || !list.contains(item)) {
    return null;
  }
  return `${item.dataset.entry ?? ''}|${item.dataset.user ?? ''}|${active.className}`;
}

/** Focus the same button of the same line again after a redraw. */
function refocus(list: HTMLElement, key: string | null): void {
  if (key === null) {
    return;
  }
  for (const item of list.querySelectorAll<HTMLElement>('.pt-help-item')) {
    const line = `${item.dataset.entry ?? ''}|${item.dataset.user ?? ''}|`;
    if (!key.startsWith(line)) {
      continue;
    }
    const buttons = [...item.querySelectorAll<HTMLElement>('button')];
    // The same button, else (a claimed hand has no Claim button) the line's last one.
    const same = buttons.find(b => line + b.className === key);
    (same ?? buttons[buttons.length - 1])?.focus();
    return;
  }
}

/** A line that is not an entry (the list is empty, or more entries than shown). */
function placeholder(key: string, text: string): IWantedLine {
  return {
    key,
    content: text,
    build: () => el('li', { className: 'pt-empty', text })
  };
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
