/**
 * How a student is named on screen: every view shows a student through {@link studentLabel}.
 */

/** The name to show for `student` (the user name, until projector mode replaces it). */
export function studentLabel(student: string): string {
  return student;
}
