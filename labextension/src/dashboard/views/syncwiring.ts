/**
 * Wires the dashboard to the loading of the class's progress: the messages while a snapshot
 * loads or fails, the live connection's status, and what to redo when a snapshot or live
 * events arrive.
 */
import type { Texts } from '../model/format';
import type { IApplyResult } from '../model/state';
import type { LiveStatus } from '../net/live';
import type { ProgressSync } from '../net/sync';

/** What the dashboard does when its {@link ProgressSync} reports. */
export interface ISyncHandlers {
  /** Show a message above the grid (as an error when `isError`). */
  setMessage(text: string, isError?: boolean): void;
  /** Show the live connection's status. */
  setStatus(status: LiveStatus): void;
  /** A snapshot was loaded; `hasNotebook` when the class has data. */
  loaded(hasNotebook: boolean): void;
  /** Live events changed the model. */
  changed(result: IApplyResult): void;
}

/** Connect `handlers` to the signals of `sync`. */
export function wireSync(
  sync: ProgressSync,
  texts: Texts,
  handlers: ISyncHandlers
): void {
  const { trans } = texts;
  sync.loading.connect(() => handlers.setMessage(trans.__('Loading…')));
  sync.loadFailed.connect((_, reason) => {
    handlers.setMessage(
      texts.failure(trans.__('Could not load the class progress'), reason),
      true
    );
    handlers.setStatus('stopped');
  });
  sync.loaded.connect((_, snapshot) => handlers.loaded(!!snapshot.notebook));
  sync.changed.connect((_, result) => handlers.changed(result));
  sync.statusChanged.connect((_, status) => handlers.setStatus(status));
}
