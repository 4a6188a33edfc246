/**
 * The dashboard's toolbar: notebook selector, row order, the time window of the whole view
 * (whose from/until also bound the export), projector mode, export, connection state.
 */
import { clear, el } from './dom';
import { Texts } from '../model/format';
import { LiveStatus } from '../net/live';
import { RowOrder } from '../model/ordering';
import type { IPickerEntry, Selection } from '../model/picker';
import { NameMode, studentNames } from '../model/pseudonyms';
import { ITimeWindow, resolveWindow, WindowPreset } from '../model/window';

/** What the toolbar reports. */
export interface IToolbarCallbacks {
  /** The instructor picked an assignment or an unpublished notebook. */
  onNotebook: (selection: Selection) => void;
  onOrder: (order: RowOrder) => void;
  /** The time window changed (resolve it with {@link Toolbar.window}). */
  onWindow?: () => void;
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
      className: 'pt-export-since pt-window-since',
      attrs: { type: 'datetime-local', 'aria-label': trans.__('Window from') }
    });
    this._until = el('input', {
      className: 'pt-export-until pt-window-until',
      attrs: { type: 'datetime-local', 'aria-label': trans.__('Window until') }
    });
    this._preset = el(
      'select',
      {
        className: 'pt-window-select',
        attrs: { 'aria-label': trans.__('Time window') }
      },
      [
        el('option', { text: trans.__('everything'), attrs: { value: 'all' } }),
        el('option', {
          text: trans.__('last 10 minutes'),
          attrs: { value: 'last10' }
        }),
        el('option', {
          text: trans.__('this class (today)'),
          attrs: { value: 'class' }
        }),
        el('option', {
          text: trans.__('custom (from–until)'),
          attrs: { value: 'custom' }
        })
      ]
    );
    const windowChanged = () => {
      const custom = this._preset.value === 'custom';
      this._since.disabled = !custom;
      this._until.disabled = !custom;
      callbacks.onWindow?.();
    };
    this._preset.addEventListener('change', windowChanged);
    this._since.addEventListener('change', windowChanged);
    this._until.addEventListener('change', windowChanged);
    this._since.disabled = true;
    this._until.disabled = true;
    this._names = el(
      'select',
      {
        className: 'pt-names-select',
        attrs: { 'aria-label': trans.__('Names on screen') }
      },
      [
        el('option', { text: trans.__('real names'), attrs: { value: 'off' } }),
        el('option', {
          text: trans.__('pseudonyms'),
          attrs: { value: 'pseudonyms' }
        }),
        el('option', {
          text: trans.__('first names'),
          attrs: { value: 'first-names' }
        })
      ]
    );
    this._names.value = studentNames.mode;
    this._names.addEventListener('change', () =>
      studentNames.setMode(this._names.value as NameMode)
    );
    this._export = el('button', {
      className: 'pt-button pt-export',
      text: trans.__('Export CSV'),
      title: trans.__(
        'The runs of the time window, with real user ids unless pseudonymised (projector mode does not apply)'
      ),
      attrs: { type: 'button' }
    });
    this._export.addEventListener('click', () =>
      callbacks.onExport({
        pseudonymise: this._pseudonymise.checked,
        ...this.window()
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
      el(
        'label',
        {
          className: 'pt-names',
          title: trans.__(
            'Projector mode: how students are named on screen. The CSV export keeps real ids (unless pseudonymised).'
          )
        },
        [document.createTextNode(trans.__('Names')), this._names]
      ),
      el('span', { className: 'pt-window-group' }, [
        el('label', {}, [
          document.createTextNode(trans.__('Window')),
          this._preset
        ]),
        el('label', {}, [
          document.createTextNode(trans.__('from')),
          this._since
        ]),
        el('label', {}, [
          document.createTextNode(trans.__('until')),
          this._until
        ])
      ]),
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

  /** The time window chosen, resolved now (open ends are `null`). */
  window(now: number = Date.now()): ITimeWindow {
    return resolveWindow(this._preset.value as WindowPreset, now, {
      since: localToIso(this._since.value),
      until: localToIso(this._until.value)
    });
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
  private _preset: HTMLSelectElement;
  private _names: HTMLSelectElement;
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
