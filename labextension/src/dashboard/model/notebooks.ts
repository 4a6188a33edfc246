/**
 * The class's notebooks, most recently active first, kept up to date with live events.
 * Pure logic, no DOM.
 */
import { latest, parseTime } from './time';
import type { ILiveEvent, INotebookSummary } from '../types';

/**
 * The notebook list of the dashboard's selector.
 */
export class NotebookList {
  /** The notebooks, most recently active first. */
  get all(): readonly INotebookSummary[] {
    return this._notebooks;
  }

  /** Start over from a snapshot's list. */
  load(notebooks: readonly INotebookSummary[]): void {
    this._notebooks = notebooks.map(n => ({ ...n }));
    this._liveUsers.clear();
  }

  /** Count an event in its notebook's summary (added if new). */
  count(event: ILiveEvent): void {
    let summary = this._find(event.notebookPath);
    if (!summary) {
      summary = {
        path: event.notebookPath,
        students: 0,
        executions: 0,
        lastActivity: null
      };
      this._notebooks.push(summary);
      this._liveUsers.set(event.notebookPath, new Set());
    }
    // Student counts are only known exactly for notebooks that appeared live, and for
    // the selected one (its grid); the others keep the snapshot's count.
    const users = this._liveUsers.get(event.notebookPath);
    if (users && event.userId && !users.has(event.userId)) {
      users.add(event.userId);
      summary.students = users.size;
    }
    if (event.eventType === 'cell_executed') {
      summary.executions += 1;
    }
    const before = summary.lastActivity;
    summary.lastActivity = latest(summary.lastActivity, event.eventTime);
    if (before !== summary.lastActivity) {
      this._notebooks.sort(
        (a, b) =>
          (parseTime(b.lastActivity) ?? 0) - (parseTime(a.lastActivity) ?? 0)
      );
    }
  }

  /** A notebook has at least `students` students (the selected one's grid counts them). */
  atLeast(path: string | null, students: number): void {
    const summary = path === null ? undefined : this._find(path);
    if (summary) {
      summary.students = Math.max(summary.students, students);
    }
  }

  private _find(path: string): INotebookSummary | undefined {
    return this._notebooks.find(n => n.path === path);
  }

  private _notebooks: INotebookSummary[] = [];
  private _liveUsers = new Map<string, Set<string>>();
}
