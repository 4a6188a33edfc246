/**
 * The assignment identity a published notebook carries, read by the publish command and the
 * capture plugin alike. Pure logic.
 *
 * `metadata.progress_tracker = {"assignmentId", "course", "title"}` is written by the publish
 * command; students' copies carry it, so renames, copies and moves stay one assignment. A cell's
 * nbgrader `grade_id` is the server's second way of matching a cell to the published one.
 */

/** The notebook metadata key of the assignment identity. */
export const METADATA_KEY = 'progress_tracker';

/** Longest assignment id or grade id the server accepts. */
export const MAX_ID_CHARS = 128;

/** `metadata.progress_tracker` of a published notebook. */
export interface IAssignmentMetadata {
  /** A uuid4 in hex, without dashes. */
  assignmentId: string;
  /** The course id. */
  course: string;
  title: string;
}

function usableId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ID_CHARS
  );
}

/**
 * The assignment identity in a notebook's metadata, or `null` when it has none or one whose
 * id is not a usable string (non-empty, at most 128 characters).
 */
export function readAssignment(value: unknown): IAssignmentMetadata | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const { assignmentId, course, title } = value as Record<string, unknown>;
  if (!usableId(assignmentId)) {
    return null;
  }
  return {
    assignmentId,
    course: typeof course === 'string' ? course : '',
    title: typeof title === 'string' ? title : ''
  };
}

/** The assignment id of a notebook's metadata, or `null` (what the capture plugin sends). */
export function assignmentIdOf(value: unknown): string | null {
  return readAssignment(value)?.assignmentId ?? null;
}

/** nbgrader's `grade_id` of a cell's `metadata.nbgrader`, when it has a usable one. */
export function gradeIdOf(nbgrader: unknown): string | null {
  if (nbgrader === null || typeof nbgrader !== 'object') {
    return null;
  }
  const id = (nbgrader as Record<string, unknown>).grade_id;
  return usableId(id) ? id : null;
}
