/**
 * How a student is named on screen. Every view shows a student through {@link studentLabel}, so
 * that one switch (projector mode) can change every name at once.
 */

/** The name shown for `student` (their user name). */
export function studentLabel(student: string): string {
  return student;
}
