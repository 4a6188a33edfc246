/**
 * What the dashboard shows and how it asks for it: a published assignment (by its id, whatever
 * its students' copies are called) or a notebook never published (by its path). Pure logic.
 */
import type { ILiveEvent, INotebookSummary } from '../types';

/** The query of one grid: `?assignment=<id>` or `?notebook=<path>`. */
export type Selection = { assignment: string } | { notebook: string };

/** The key of an assignment in the picker and the snapshot's list. */
export function assignmentKey(assignmentId: string): string {
  return `assignment:${assignmentId}`;
}

/** The picker key of a listed notebook or assignment. */
export function summaryKey(summary: INotebookSummary): string {
  if (typeof summary.key === 'string' && summary.key) {
    return summary.key;
  }
  return summary.assignmentId
    ? assignmentKey(summary.assignmentId)
    : summary.path;
}

/** The picker key an event counts under: its assignment's, else its notebook path. */
export function eventKey(
  event: Pick<ILiveEvent, 'assignmentId' | 'notebookPath'>
): string {
  return typeof event.assignmentId === 'string' && event.assignmentId
    ? assignmentKey(event.assignmentId)
    : event.notebookPath;
}

/** The query that loads a listed notebook or assignment. */
export function selectionOf(summary: INotebookSummary): Selection {
  return summary.assignmentId
    ? { assignment: summary.assignmentId }
    : { notebook: summary.path };
}

/** The picker key of a selection. */
export function selectionKey(selection: Selection): string {
  return 'assignment' in selection
    ? assignmentKey(selection.assignment)
    : selection.notebook;
}

/** What the picker shows for one entry. */
export interface IPickerEntry {
  key: string;
  selection: Selection;
  /** An assignment's title, or an unpublished notebook's path. */
  name: string;
  /** An assignment's course, `null` for an unpublished notebook. */
  course: string | null;
  students: number;
}

/** An assignment's title and course, from `GET api/v1/assignments`. */
export interface IAssignmentName {
  title: string;
  course: string;
}

/**
 * The picker's entries, in the list's order: assignments by title and course (from the list,
 * else from `names`, else by path), unpublished notebooks by path.
 */
export function pickerEntries(
  notebooks: readonly INotebookSummary[],
  names: ReadonlyMap<string, IAssignmentName> = new Map()
): IPickerEntry[] {
  return notebooks.map(summary => {
    const selection = selectionOf(summary);
    const entry = {
      key: summaryKey(summary),
      selection,
      name: summary.path,
      course: null as string | null,
      students: summary.students
    };
    if ('assignment' in selection) {
      const named = names.get(selection.assignment);
      entry.name = summary.title || named?.title || summary.path;
      entry.course = summary.course || named?.course || null;
    }
    return entry;
  });
}

/** The assignments of a list whose title the list does not give. */
export function unnamedAssignments(
  notebooks: readonly INotebookSummary[],
  names: ReadonlyMap<string, IAssignmentName>
): string[] {
  return notebooks
    .filter(n => n.assignmentId && !n.title && !names.has(n.assignmentId))
    .map(n => n.assignmentId as string);
}
