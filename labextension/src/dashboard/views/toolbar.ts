/**
 * The dashboard's toolbar: notebook selector, row order, export, connection state.
 */
import { clear, el } from './dom';
import { Texts } from '../model/format';
import { LiveStatus } from '../net/live';
import { RowOrder } from '../model/ordering';
import type { IPickerEntry, Selection } from '../model/picker';

/** What the toolbar reports. */
export interface IToolbarCallbacks {
  /** The instructor picked an assignment or an unpublished notebook. */
  onNotebook: (selection: Selection) => void;
  onOrder: (order: RowOrder) => void;
  onExport: (options: {
    pseudonymise: boolean;
    since: string | null;
    until: string | null;
  }) => void;
}

/**
 * The toolbar at the top of the dashboard.
 */
export class Toolbar {
  /** The toolbar's root element. */
  readonly node: HTMLElement;

  constructor(
    private readonly texts: Texts,
    callbacks: IToolbarCallbacks,
    order: RowOrder
  ) {
    const { trans } = texts;
    this._statusText = {
      connecting: trans.__('connecting…'),
      'catching-up': trans.__('catching up…'),
      live: trans.__('live'),
      reconnecting: trans.__('reconnecting…'),
      stopped: trans.__('offline')
    };
    this._notebook = el('select', {
      className: 'pt-notebook-select',
      attrs: { 'aria-label': trans.__('Assignment or notebook') }
    });
    this._notebook.addEventListener('change', () => {
      const entry = this._entries.find(e => e.key === this._notebook.value);
      if (entry) {
        callbacks.onNotebook(entry.selection);
      }
    });

    const orderSelect = el('select', { className: 'pt-order-select' }, [
      el('option', {
        text: trans.__('needing help first'),
        attrs: { value: 'help' }
      }),
      el('option', { text: trans.__('name'), attrs: { value: 'name' } }),
      el('option', {
        text: trans.__('least progress first'),
        attrs: { value: 'progress' }
      })
    ]);
    orderSelect.value = order;
    orderSelect.addEventListener('change', () =>
      callbacks.onOrder(orderSelect.value as RowOrder)
    );

    this._pseudonymise = el('input', {
      className: 'pt-export-pseudonymise',
      attrs: { type: 'checkbox' }
    });
    this._pseudonymise.checked = true;
    this._since = el('input', {
      className: 'pt-export-since',
      attrs: { type: 'datetime-local', 'aria-label': trans.__('Export from') }
    });
    this._until = el('input', {
      className: 'pt-export-until',
      attrs: { type: 'datetime-local', 'aria-label': trans.__('Export until') }
    });
    this._export = el('button', {
      className: 'pt-button pt-export',
      text: trans.__('Export CSV'),
      attrs: { type: 'button' }
    });
    this._export.addEventListener('click', () =>
      callbacks.onExport({
        pseudonymise: this._pseudonymise.checked,
        since: localToIso(this._since.value),
        until: localToIso(this._until.value)
      })
    );

    this._status = el('span', {
      className: 'pt-status',
      attrs: { role: 'status' }
    });
    this.setStatus('stopped');

    this.node = el('div', { className: 'pt-toolbar' }, [
      el('label', {}, [
        document.createTextNode(trans.__('Notebook')),
        this._notebook
      ]),
      el('label', {}, [document.createTextNode(trans.__('Rows')), orderSelect]),
      el('span', { className: 'pt-export-group' }, [
        el(
          'label',
          {
            title: trans.__(
              'Replace user names by stable pseudonyms in the export'
            )
          },
          [
            this._pseudonymise,
            document.createTextNode(trans.__('pseudonymise'))
          ]
        ),
        el('label', {}, [
          document.createTextNode(trans.__('from')),
          this._since
        ]),
        el('label', {}, [
          document.createTextNode(trans.__('until')),
          this._until
        ]),
        this._export
      ]),
      this._status
    ]);
  }

  /**
   * List the assignments (by title and course) and the unpublished notebooks (by path), with
   * the one of key `selected` chosen.
   */
  setNotebooks(
    entries: readonly IPickerEntry[],
    selected: string | null
  ): void {
    // Rebuilt only when the choices change, not on every run (an open list would close).
    const key = JSON.stringify([
      entries.map(e => [e.key, e.name, e.course, e.students]),
      selected
    ]);
    if (key === this._notebooksKey) {
      return;
    }
    this._notebooksKey = key;
    this._entries = [...entries];
    const { trans } = this.texts;
    clear(this._notebook);
    if (entries.length === 0) {
      this._notebook.appendChild(
        el('option', {
          text: trans.__('no notebook yet'),
          attrs: { value: '' }
        })
      );
    }
    for (const entry of entries) {
      // Events sent without a notebook are stored under the empty path.
      const name = entry.name === '' ? trans.__('(no notebook)') : entry.name;
      const students = this.texts.students(entry.students);
      const option = el('option', {
        text:
          entry.course !== null
            ? trans.__('%1 · %2 (%3)', name, entry.course, students)
            : trans.__('%1 (%2)', name, students),
        attrs: { value: entry.key }
      });
      option.dataset.assignment = String('assignment' in entry.selection);
      this._notebook.appendChild(option);
    }
    this._notebook.value = selected ?? '';
  }

  /** Show the live connection's state. */
  setStatus(status: LiveStatus): void {
    this._status.dataset.status = status;
    this._status.textContent = this._statusText[status];
  }

  /** Disable the export button while an export runs. */
  setExporting(busy: boolean): void {
    this._export.disabled = busy;
    this._export.textContent = busy
      ? this.texts.trans.__('Exporting…')
      : this.texts.trans.__('Export CSV');
  }

  private _notebook: HTMLSelectElement;
  private _pseudonymise: HTMLInputElement;
  private _since: HTMLInputElement;
  private _until: HTMLInputElement;
  private _export: HTMLButtonElement;
  private _status: HTMLElement;
  private _notebooksKey = '';
  private _entries: IPickerEntry[] = [];
  private _statusText: Record<LiveStatus, string>;
}

/** A `datetime-local` value (local time) as an ISO time in UTC, or `null` when empty. */
function localToIso(value: string): string | null {
  if (!value) {
    return null;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
