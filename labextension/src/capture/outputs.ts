/**
 * What a cell run produced, read for its event: the error text, a short summary of the
 * output, the kernel's timing. Pure functions over nbformat outputs and cell metadata.
 */
import type * as nbformat from '@jupyterlab/nbformat';

/** What the kernel reported when a run failed (JupyterLab's `KernelError`). */
export interface IKernelErrorInfo {
  errorName?: string;
  errorValue?: string;
}

/** Longest result summary sent, in characters (the server keeps up to 2,000). */
export const MAX_RESULT_CHARS = 500;

/** Longest error message sent, in characters (the server keeps up to 2,000). */
export const MAX_ERROR_CHARS = 2000;

/** Longest code sent, in characters (the server keeps up to 20,000 by default). */
export const MAX_CODE_CHARS = 20_000;

/** The mark appended to a truncated text. */
export const ELLIPSIS = '\u2026';

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
