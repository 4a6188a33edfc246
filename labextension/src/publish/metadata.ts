/**
 * The metadata the publish command stamps: the notebook's assignment id kept, or a new one.
 * Pure logic.
 */
import { readAssignment } from '../assignment';
import type { IAssignmentMetadata } from '../assignment';

export { METADATA_KEY, readAssignment } from '../assignment';
export type { IAssignmentMetadata } from '../assignment';

/** A fresh assignment id: a random uuid4 as 32 hex digits. */
export function newAssignmentId(
  randomBytes: (n: number) => Uint8Array = cryptoBytes
): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function cryptoBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * The metadata to stamp when publishing: the course and title chosen, and the notebook's
 * assignment id if it has one (a re-publish updates the same assignment), else a new one.
 *
 * @param existing - the notebook's current `metadata.progress_tracker`
 * @param chosen - the course and title of this publication
 * @param newId - makes a fresh id
 */
export function stampAssignment(
  existing: unknown,
  chosen: { course: string; title: string },
  newId: () => string = newAssignmentId
): IAssignmentMetadata {
  const known = readAssignment(existing);
  return {
    assignmentId: known?.assignmentId ?? newId(),
    course: chosen.course,
    title: chosen.title
  };
}

/** The default title of a notebook's assignment: its file name without `.ipynb`. */
export function defaultTitle(path: string): string {
  const name = path.split('/').pop() ?? path;
  return name.replace(/\.ipynb$/i, '') || name;
}
