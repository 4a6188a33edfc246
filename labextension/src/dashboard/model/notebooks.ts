/**
 * The class's assignments and unpublished notebooks, most recently active first, kept up to
 * date with live events. Pure logic, no DOM.
 */
import {
  eventKey,
  IAssignmentName,
  IPickerEntry,
  pickerEntries,
  summaryKey,
  unnamedAssignments
} from './picker';
import { isPresenceOnly } from './presence';
import { latest, parseTime } from './time';
import type {
  IAssignmentSummary,
  ILiveEvent,
  INotebookSummary
} from '../types';

/**
 * The notebook list of the dashboard's selector.
 */
export class NotebookList {
  /** The notebooks, most recently active first. */
  get all(): readonly INotebookSummary[] {
    return this._notebooks;
  }

  /** The picker's entries: assignments by title and course, other notebooks by path. */
  entries(): IPickerEntry[] {
    return pickerEntries(this._notebooks, this._names);
  }

  /** The listed assignments whose title is not known yet. */
  unnamed(): string[] {
    return unnamedAssignments(this._notebooks, this._names);
  }

  /** Learn the titles and courses of assignments (`GET api/v1/assignments`). */
  name(assignments: readonly IAssignmentSummary[]): void {
    for (const a of assignments) {
      if (a && typeof a.assignmentId === 'string') {
        this._names.set(a.assignmentId, {
          title: String(a.title ?? ''),
          course: String(a.course ?? '')
        });
      }
    }
  }

  /** Start over from a snapshot's list. */
  load(notebooks: readonly INotebookSummary[]): void {
    this._notebooks = notebooks.map(n => ({ ...n }));
    this._liveUsers.clear();
  }

  /**
   * Count an event in its assignment's summary, or its notebook's when it has none (added if
   * new).
   */
  count(event: ILiveEvent): void {
    const key = eventKey(event);
    let summary = this._find(key);
    if (!summary) {
      summary = {
        path: event.notebookPath,
        students: 0,
        executions: 0,
        lastActivity: null
      };
      if (event.assignmentId) {
        summary.key = key;
        summary.assignmentId = event.assignmentId;
      }
      this._notebooks.push(summary);
      this._liveUsers.set(key, new Set());
    }
    // Student counts are only known exactly for notebooks that appeared live, and for
    // the selected one (its grid); the others keep the snapshot's count.
    const users = this._liveUsers.get(key);
    if (users && event.userId && !users.has(event.userId)) {
      users.add(event.userId);
      summary.students = users.size;
    }
    if (event.eventType === 'cell_executed') {
      summary.executions += 1;
    }
    if (isPresenceOnly(event)) {
      return; // an open notebook is no activity
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

  /** An entry has at least `students` students (the selected one's grid counts them). */
  atLeast(key: string | null, students: number): void {
    const summary = key === null ? undefined : this._find(key);
    if (summary) {
      summary.students = Math.max(summary.students, students);
    }
  }

  private _find(key: string): INotebookSummary | undefined {
    return this._notebooks.find(n => summaryKey(n) === key);
  }

  private _notebooks: INotebookSummary[] = [];
  private _liveUsers = new Map<string, Set<string>>();
  /** Titles and courses of assignments, kept across snapshots. */
  private _names = new Map<string, IAssignmentName>();
}
