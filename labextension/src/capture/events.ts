/**
 * The events the capture plugin sends, and the pure functions that build them
 * from what JupyterLab reports about a cell run.
 */
import type * as nbformat from '@jupyterlab/nbformat';

import type { ICaptureSettings } from './settings';

/** The kinds of event about a whole notebook. */
export type NotebookEventType =
  'notebook_opened' | 'notebook_saved' | 'notebook_closed';

/** The kinds of event the server accepts. */
export type EventType = 'cell_executed' | 'cell_started' | NotebookEventType;

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
  errorMessage?: string;
  result?: string;
  executionDurationMs?: number;
}

/** Longest result summary sent, in characters (the server keeps up to 2,000). */
export const MAX_RESULT_CHARS = 500;

/** Longest error message sent, in characters (the server keeps up to 2,000). */
export const MAX_ERROR_CHARS = 2000;

/** Longest code sent, in characters (the server keeps up to 20,000 by default). */
export const MAX_CODE_CHARS = 20_000;

/** The mark appended to a truncated text. */
export const ELLIPSIS = '\u2026';

/** What the kernel reported when a run failed (JupyterLab's `KernelError`). */
export interface IKernelErrorInfo {
  errorName?: string;
  errorValue?: string;
}

/** Everything known about one finished cell run, read when JupyterLab reports it. */
export interface ICellRun {
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

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;

/** `text` cut to at most `max` characters, marked with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  return text.slice(0, Math.max(0, max - ELLIPSIS.length)) + ELLIPSIS;
}

function joinText(value: nbformat.MultilineString | undefined): string {
  if (value === undefined) {
    return '';
  }
  return Array.isArray(value) ? value.join('') : value;
}

/**
 * The error of a run as `ename: evalue` (e.g. `KeyError: 'price'`), read from
 * the first error output; `null` when there is none.
 */
export function errorMessageFromOutputs(
  outputs: readonly nbformat.IOutput[]
): string | null {
  for (const output of outputs) {
    if (output.output_type === 'error') {
      const error = output as nbformat.IError;
      const name = String(error.ename ?? '').replace(ANSI_ESCAPE, '');
      const value = String(error.evalue ?? '').replace(ANSI_ESCAPE, '');
      if (name && value) {
        return `${name}: ${value}`;
      }
      return name || value || 'Error';
    }
  }
  return null;
}

/**
 * The error message of a failed run: the error output if there is one, else
 * what the kernel's reply said, else `Aborted` (the kernel skipped the cell,
 * e.g. because an earlier cell of the same "run all" failed).
 */
export function errorMessageOfRun(
  outputs: readonly nbformat.IOutput[],
  kernelError?: IKernelErrorInfo | null
): string {
  const fromOutputs = errorMessageFromOutputs(outputs);
  if (fromOutputs) {
    return fromOutputs;
  }
  const name = kernelError?.errorName;
  const value = kernelError?.errorValue;
  if (name && value) {
    return `${name}: ${value}`;
  }
  return name || value || 'Aborted';
}

/**
 * A short text summary of a run's output, or `null` when it has none.
 *
 * In order of preference: the `text/plain` of the execute result, the text
 * printed to the streams, the `text/plain` of displayed data, the MIME types
 * of what was displayed (e.g. `[image/png]`).
 *
 * @param outputs - the cell's outputs (nbformat)
 * @param maxChars - longest summary returned
 */
export function resultSummary(
  outputs: readonly nbformat.IOutput[],
  maxChars: number = MAX_RESULT_CHARS
): string | null {
  const plain = (type: string): string | null => {
    for (const output of outputs) {
      if (output.output_type === type) {
        const data = (output as nbformat.IExecuteResult).data ?? {};
        const text = data['text/plain'];
        if (text !== undefined) {
          return joinText(text as nbformat.MultilineString);
        }
      }
    }
    return null;
  };
  let summary = plain('execute_result');
  if (summary === null) {
    const streamed = outputs
      .filter(output => output.output_type === 'stream')
      .map(output => joinText((output as nbformat.IStream).text))
      .join('');
    summary = streamed.length > 0 ? streamed : null;
  }
  if (summary === null) {
    summary = plain('display_data');
  }
  if (summary === null) {
    const mimeTypes = outputs
      .filter(
        output =>
          output.output_type === 'display_data' ||
          output.output_type === 'execute_result'
      )
      .flatMap(output =>
        Object.keys((output as nbformat.IDisplayData).data ?? {})
      );
    summary = mimeTypes.length > 0 ? `[${mimeTypes.join(', ')}]` : null;
  }
  return summary === null ? null : truncate(summary, maxChars);
}

function timeOf(timing: Record<string, unknown>, key: string): number | null {
  const value = timing[key];
  if (typeof value !== 'string') {
    return null;
  }
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

/**
 * The run's duration in ms from the kernel timing JupyterLab records in the
 * cell's `execution` metadata (when "record timing" is on), or `null`.
 *
 * The kernel's own start and reply times are preferred; the iopub busy/idle
 * status messages are the fallback.
 */
export function durationFromTiming(timing: unknown): number | null {
  if (timing === null || typeof timing !== 'object') {
    return null;
  }
  const record = timing as Record<string, unknown>;
  const spans: Array<[string, string]> = [
    ['shell.execute_reply.started', 'shell.execute_reply'],
    ['shell.execute_reply.started', 'iopub.status.idle'],
    ['iopub.status.busy', 'iopub.status.idle'],
    ['iopub.execute_input', 'shell.execute_reply']
  ];
  for (const [from, to] of spans) {
    const start = timeOf(record, from);
    const end = timeOf(record, to);
    if (start !== null && end !== null && end >= start) {
      return end - start;
    }
  }
  return null;
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
  const hasError = isCode && (!run.success || errorOutput !== null);
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
  if (settings.sendCode) {
    event.code = truncate(run.source, MAX_CODE_CHARS);
  }
  if (hasError && settings.sendErrorMessages) {
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
  return event;
}

/** Everything known about a cell when JupyterLab schedules it to run. */
export interface ICellStart {
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
  return event;
}

/**
 * A `notebook_opened`, `notebook_saved` or `notebook_closed` event.
 *
 * @param eventType - which of the three
 * @param notebookPath - the notebook path relative to the server root
 * @param at - when it happened
 * @param eventId - a fresh, unique id
 */
export function buildNotebookEvent(
  eventType: NotebookEventType,
  notebookPath: string,
  at: Date,
  eventId: string
): ICaptureEvent {
  return { eventId, eventType, eventTime: at.toISOString(), notebookPath };
}
