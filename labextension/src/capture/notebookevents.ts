/**
 * The events about a whole notebook rather than one of its cells: its kernel's status changes,
 * and its opening, saving, closing and heartbeats.
 */
import { ICaptureEvent, NotebookEventType, withAssignment } from './events';

/**
 * A `kernel_status` event: the notebook's kernel restarted, died, shut down or (on page load
 * or a new kernel) started; the dashboard stops showing the cells started before it running.
 *
 * @param kernelStatus - restarting, dead, shutdown or started
 * @param notebookPath - the notebook path relative to the server root
 * @param at - when it happened
 * @param eventId - a fresh, unique id
 * @param assignmentId - the notebook's assignment, if it was published
 */
export function buildKernelStatusEvent(
  kernelStatus: string,
  notebookPath: string,
  at: Date,
  eventId: string,
  assignmentId: string | null = null
): ICaptureEvent {
  return withAssignment(
    {
      eventId,
      eventType: 'kernel_status',
      eventTime: at.toISOString(),
      notebookPath,
      kernelStatus
    },
    { assignmentId }
  );
}

/**
 * A `notebook_opened`, `notebook_saved`, `notebook_closed` or `notebook_heartbeat` event.
 *
 * @param eventType - which of the four
 * @param notebookPath - the notebook path relative to the server root
 * @param at - when it happened
 * @param eventId - a fresh, unique id
 * @param assignmentId - the notebook's assignment, if it was published
 */
export function buildNotebookEvent(
  eventType: NotebookEventType,
  notebookPath: string,
  at: Date,
  eventId: string,
  assignmentId: string | null = null
): ICaptureEvent {
  return withAssignment(
    { eventId, eventType, eventTime: at.toISOString(), notebookPath },
    { assignmentId }
  );
}
