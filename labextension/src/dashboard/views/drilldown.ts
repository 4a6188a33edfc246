/**
 * The drill-down panel of one cell: every student's latest attempt (from a column header), or
 * those who have one error now (from an error group). Filter by status and text, sort by time
 * or attempts; the students are a listbox (arrow keys, Home, End), Escape closes the panel.
 */
import { cellLabel, Texts } from '../model/format';
import {
  AttemptOrder,
  IAttempt,
  IDrilldown,
  IAttemptFilter,
  shownAttempts,
  statusCounts
} from '../model/drilldown';
import type { Selection } from '../model/picker';
import { studentLabel } from '../model/pseudonyms';
import type { DashboardClient } from '../net/client';
import type { CellStatus, ICellInfo } from '../types';
import { attemptDetails } from './drilldownattempt';
import type { ICodeBlock } from './drilldowncode';
import { clear, el } from './dom';
import { AttemptList } from './drilldownlist';

/** What the panel opens on: a cell, and optionally one of its error groups. */
export interface IDrilldownRequest {
  selection: Selection;
  cell: ICellInfo;
  /** An error group: its message and who has it now. */
  group?: { errorMessage: string; students: readonly string[] } | null;
}

let nextPanel = 0;
const STATUSES: CellStatus[] = [
  'failed',
  'interrupted',
  'running',
  'succeeded'
];

/** The drill-down panel (hidden until opened). */
export class DrilldownPanel {
  readonly node: HTMLElement;

  constructor(
    private readonly texts: Texts,
    private readonly client: Pick<DashboardClient, 'cellLatest'>
  ) {
    const { trans } = texts;
    this._title = el('h2', { attrs: { id: `pt-drill-title-${++nextPanel}` } });
    const close = el('button', {
      className: 'pt-drill-close',
      text: '×',
      title: trans.__('Close (Escape)'),
      attrs: { type: 'button', 'aria-label': trans.__('Close the drill-down') }
    });
    close.addEventListener('click', () => this.close());
    this._status = el('select', {
      attrs: { 'aria-label': trans.__('Status') }
    });
    this._status.addEventListener('change', () => this._render());
    this._text = el('input', {
      attrs: {
        type: 'search',
        'aria-label': trans.__('Search names, code and errors')
      }
    });
    this._text.placeholder = trans.__('Search…');
    this._text.addEventListener('input', () => this._render());
    this._order = el('select', {
      attrs: { 'aria-label': trans.__('Sort by') }
    });
    for (const [value, text] of [
      ['time', trans.__('latest first')],
      ['attempts', trans.__('most attempts first')],
      ['name', trans.__('by name')]
    ]) {
      this._order.appendChild(el('option', { text, attrs: { value } }));
    }
    this._order.addEventListener('change', () => this._render());
    this._group = el('div', { className: 'pt-drill-group' });
    this._list = new AttemptList(texts, student => this.select(student));
    this._details = el('div', {
      className: 'pt-drill-details',
      attrs: { 'aria-live': 'polite' }
    });
    this.node = el(
      'section',
      {
        className: 'pt-drill',
        attrs: { role: 'dialog', 'aria-labelledby': this._title.id }
      },
      [
        el('div', { className: 'pt-drill-header' }, [this._title, close]),
        el('div', { className: 'pt-drill-controls' }, [
          this._status,
          this._text,
          this._order
        ]),
        this._group,
        el('div', { className: 'pt-drill-body' }, [
          this._list.node,
          this._details
        ])
      ]
    );
    this.node.hidden = true;
    this.node.addEventListener('keydown', ev => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        this.close();
      }
    });
  }

  /** Whether the panel is open. */
  get isOpen(): boolean {
    return !this.node.hidden;
  }

  /** Open on a cell (and an error group), loading its attempts. */
  async open(request: IDrilldownRequest): Promise<void> {
    const { trans } = this.texts;
    this._opener =
      document.activeElement instanceof HTMLElement
        ? document.activeElement
        : null;
    const token = ++this._request;
    this._asked = request;
    this._data = null;
    this._selected = null;
    this._status.value = 'all'; // a new cell (or group): every status, no search
    this._text.value = '';
    this._title.textContent = trans.__('Cell %1', cellLabel(request.cell));
    this._renderGroup();
    this._showMessage(trans.__('Loading…'));
    this.node.hidden = false;
    this._list.node.focus();
    try {
      const data = await this.client.cellLatest(
        request.selection,
        request.cell.cellId
      );
      if (token !== this._request) {
        return; // another cell was opened meanwhile
      }
      this._data = data;
      this._selected = request.group?.students[0] ?? null;
      this._render();
    } catch (reason) {
      if (token === this._request) {
        this._showMessage(
          this.texts.failure(trans.__('Could not load the attempts'), reason)
        );
      }
    }
  }

  /** Close the panel, giving the focus back to what opened it. */
  close(): void {
    if (this.node.hidden) {
      return;
    }
    this.node.hidden = true;
    this._request += 1;
    this._code?.dispose();
    this._code = null;
    this._opener?.focus();
  }

  /** Select (and show) one student's attempt. */
  select(student: string): void {
    this._selected = student;
    this._render();
    this._list.node.focus();
  }

  private _filter(): IAttemptFilter {
    const group = this._asked?.group;
    return {
      status: (this._status.value || 'all') as CellStatus | 'all',
      text: this._text.value,
      students: group ? new Set(group.students) : null
    };
  }

  private _render(): void {
    const data = this._data;
    if (!data) {
      return;
    }
    this._renderStatuses(data.students);
    const shown = shownAttempts(
      data.students,
      this._filter(),
      this._order.value as AttemptOrder
    );
    if (!shown.some(a => a.student === this._selected)) {
      this._selected = shown[0]?.student ?? null;
    }
    this._list.render(shown, this._selected);
    const selected = shown.find(a => a.student === this._selected);
    this._showAttempt(selected ?? null, data);
  }

  private _renderStatuses(attempts: readonly IAttempt[]): void {
    const { trans } = this.texts;
    const counts = statusCounts(attempts);
    const value = this._status.value || 'all';
    clear(this._status);
    this._status.appendChild(
      el('option', {
        text: trans.__('all statuses (%1)', attempts.length),
        attrs: { value: 'all' }
      })
    );
    for (const status of STATUSES) {
      this._status.appendChild(
        el('option', {
          text: `${this.texts.status(status)} (${counts[status]})`,
          attrs: { value: status }
        })
      );
    }
    this._status.value = value;
  }

  private _renderGroup(): void {
    const { trans } = this.texts;
    clear(this._group);
    const group = this._asked?.group;
    if (!group) {
      return;
    }
    this._group.appendChild(
      el('div', {
        className: 'pt-hint',
        text: trans.__('Students with %1 now:', group.errorMessage)
      })
    );
    if (group.students.length === 0) {
      this._group.appendChild(
        el('span', { className: 'pt-empty', text: trans.__('nobody any more') })
      );
    }
    for (const student of group.students) {
      const button = el('button', {
        className: 'pt-drill-student',
        text: studentLabel(student),
        attrs: { type: 'button' }
      });
      button.addEventListener('click', () => this.select(student));
      this._group.appendChild(button);
    }
  }

  private _showAttempt(attempt: IAttempt | null, data: IDrilldown): void {
    this._code?.dispose();
    this._code = null;
    clear(this._details);
    if (!attempt) {
      this._details.appendChild(
        el('div', {
          className: 'pt-empty',
          text: this.texts.trans.__('No student matches.')
        })
      );
      return;
    }
    const { node, code } = attemptDetails(
      this.texts,
      attempt,
      data.definitions
    );
    this._code = code;
    this._details.appendChild(node);
  }

  private _showMessage(text: string): void {
    this._list.clear();
    this._code?.dispose();
    this._code = null;
    clear(this._details);
    this._details.appendChild(el('div', { className: 'pt-empty', text }));
  }

  private _title: HTMLElement;
  private _status: HTMLSelectElement;
  private _text: HTMLInputElement;
  private _order: HTMLSelectElement;
  private _group: HTMLElement;
  private _list: AttemptList;
  private _details: HTMLElement;
  private _data: IDrilldown | null = null;
  private _selected: string | null = null;
  private _request = 0;
  private _asked: IDrilldownRequest | null = null;
  private _code: ICodeBlock | null = null;
  private _opener: HTMLElement | null = null;
}
