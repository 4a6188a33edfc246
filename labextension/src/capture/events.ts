/**
 * The events the capture plugin sends, and the pure functions that build them
 * from what JupyterLab reports about a cell run.
 */
import type * as nbformat from '@jupyterlab/nbformat';

import {
  durationFromTiming,
  errorMessageFromOutputs,
  errorMessageOfRun,
  IKernelErrorInfo,
  MAX_CODE_CHARS,
  MAX_ERROR_CHARS,
  resultSummary,
  truncate
} from './outputs';
import type { ICaptureSettings } from './settings';

/** The kinds of event about a whole notebook. */
export type NotebookEventType =
  | 'notebook_opened'
  | 'notebook_saved'
  | 'notebook_closed'
  | 'notebook_heartbeat';

/** The kinds of event the server accepts. */
export type EventType =
  | 'cell_executed'
  | 'cell_started'
  | 'kernel_status'
  | NotebookEventType
  | 'help'
  | 'help_stop';

/** The error name of a run the student interrupted (Python's, as ipykernel reports it). */
export const INTERRUPT_ERROR = 'KeyboardInterrupt';

/** One event in the wire form of `POST api/v1/events` (docs/api.md). */
export interface ICaptureEvent {
  eventId: string;
  eventType: EventType;
  /** ISO 8601, UTC. */
  eventTime: string;
  notebookPath: string;
  cellId?: string;
  cellIndex?: number;
  cellType?: 'code' | 'markdown' | 'raw';
  code?: string;
  executionCount?: number | null;
  hasError?: boolean;
  /** The student interrupted the run: neither a success nor a failure (no error). */
  interrupted?: boolean;
  errorMessage?: string;
  result?: string;
  executionDurationMs?: number;
  /** A `kernel_status` event's status: restarting, dead, shutdown or started. */
  kernelStatus?: string;
  /** The assignment of a published notebook (its `metadata.progress_tracker`). */
  assignmentId?: string;
  /** nbgrader's `grade_id` of the cell. */
  gradeId?: string;
  /** A raised hand's message to the course's staff. */
  message?: string;
}

/** Where a cell or notebook event belongs: the published assignment and the nbgrader cell. */
export interface IAssignmentRef {
  /** The notebook's assignment id, `null` when it was never published. */
  assignmentId?: string | null;
  /** The cell's nbgrader `grade_id`, `null` when it has none. */
  gradeId?: string | null;
}

/** `event` with the assignment and grade ids of `ref` that are known. */
export function withAssignment(
  event: ICaptureEvent,
  ref: IAssignmentRef
): ICaptureEvent {
  if (ref.assignmentId) {
    event.assignmentId = ref.assignmentId;
  }
  if (ref.gradeId) {
    event.gradeId = ref.gradeId;
  }
  return event;
}

/** Everything known about one finished cell run, read when JupyterLab reports it. */
export interface ICellRun extends IAssignmentRef {
  notebookPath: string;
  cellId: string;
  cellIndex: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
  executionCount: number | null;
  outputs: readonly nbformat.IOutput[];
  /** Whether JupyterLab reported the run as successful. */
  success: boolean;
  /** The error JupyterLab reported with an unsuccessful run, if any. */
  kernelError?: IKernelErrorInfo | null;
  /** The cell's `execution` metadata (kernel timing), if recorded. */
  timing?: unknown;
  /** Duration measured in the browser, used when the kernel's timing is absent. */
  measuredDurationMs?: number | null;
  /** When the run finished. */
  finishedAt: Date;
}

/**
 * Whether a reported run is an execution worth an event.
 *
 * A code cell that succeeded without an execution count did not run (empty
 * cell, no kernel): it is not reported. A failed run is reported even without
 * a count (the kernel aborted it). Markdown cells are always reported.
 */
export function isReportableRun(
  run: Pick<ICellRun, 'cellType' | 'executionCount' | 'success'>
): boolean {
  if (run.cellType === 'markdown') {
    return true;
  }
  if (run.cellType !== 'code') {
    return false;
  }
  return run.executionCount !== null || !run.success;
}

/**
 * The `cell_executed` event of a run, with only what `settings` allow, or
 * `null` when the run is not reportable.
 *
 * @param run - what is known about the run
 * @param settings - the capture settings in force
 * @param eventId - a fresh, unique id
 */
export function buildCellExecutedEvent(
  run: ICellRun,
  settings: Pick<
    ICaptureSettings,
    'sendCode' | 'sendResults' | 'sendErrorMessages'
  >,
  eventId: string
): ICaptureEvent | null {
  if (!isReportableRun(run)) {
    return null;
  }
  const isCode = run.cellType === 'code';
  const errorOutput = errorMessageFromOutputs(run.outputs);
  const failed = isCode && (!run.success || errorOutput !== null);
  const interrupted = failed && isInterruption(run);
  const hasError = failed && !interrupted;
  const event: ICaptureEvent = {
    eventId,
    eventType: 'cell_executed',
    eventTime: run.finishedAt.toISOString(),
    notebookPath: run.notebookPath,
    cellId: run.cellId,
    cellIndex: run.cellIndex,
    cellType: run.cellType,
    executionCount: isCode ? run.executionCount : null,
    hasError
  };
  if (interrupted) {
    event.interrupted = true;
  }
  if (settings.sendCode) {
    event.code = truncate(run.source, MAX_CODE_CHARS);
  }
  if (failed && settings.sendErrorMessages) {
    event.errorMessage = truncate(
      errorMessageOfRun(run.outputs, run.kernelError),
      MAX_ERROR_CHARS
    );
  }
  if (isCode && settings.sendResults) {
    const summary = resultSummary(run.outputs);
    if (summary !== null) {
      event.result = summary;
    }
  }
  if (isCode) {
    const duration = durationFromTiming(run.timing) ?? run.measuredDurationMs;
    if (typeof duration === 'number' && duration >= 0) {
      event.executionDurationMs = Math.round(duration);
    }
  }
  return withAssignment(event, run);
}

/** Whether a failed run ended with the student interrupting the kernel. */
function isInterruption(
  run: Pick<ICellRun, 'outputs' | 'kernelError'>
): boolean {
  return (
    errorMessageOfRun(run.outputs, run.kernelError).split(':', 1)[0].trim() ===
    INTERRUPT_ERROR
  );
}

/** Everything known about a cell when JupyterLab schedules it to run. */
export interface ICellStart extends IAssignmentRef {
  notebookPath: string;
  cellId: string;
  cellIndex: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
  /** When the run was scheduled. */
  scheduledAt: Date;
}

/**
 * Whether a scheduled run is a start worth an event: only a code cell with
 * some code runs in the kernel (JupyterLab does not send a blank cell, and
 * then no result would ever follow the start).
 */
export function isReportableStart(
  start: Pick<ICellStart, 'cellType' | 'source'>
): boolean {
  return start.cellType === 'code' && start.source.trim() !== '';
}

/**
 * The `cell_started` event of a scheduled run, with the code only if
 * `settings` allow it, or `null` when the start is not reportable.
 *
 * @param start - what is known about the cell when it is scheduled
 * @param settings - the capture settings in force
 * @param eventId - a fresh, unique id
 */
export function buildCellStartedEvent(
  start: ICellStart,
  settings: Pick<ICaptureSettings, 'sendCode'>,
  eventId: string
): ICaptureEvent | null {
  if (!isReportableStart(start)) {
    return null;
  }
  const event: ICaptureEvent = {
    eventId,
    eventType: 'cell_started',
    eventTime: start.scheduledAt.toISOString(),
    notebookPath: start.notebookPath,
    cellId: start.cellId,
    cellIndex: start.cellIndex,
    cellType: start.cellType
  };
  if (settings.sendCode) {
    event.code = truncate(start.source, MAX_CODE_CHARS);
  }
  return withAssignment(event, start);
}
