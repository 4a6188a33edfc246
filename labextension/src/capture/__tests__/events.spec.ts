import type * as nbformat from '@jupyterlab/nbformat';

import {
  buildCellExecutedEvent,
  buildCellStartedEvent,
  ICellRun,
  ICellStart,
  isReportableRun,
  isReportableStart
} from '../events';
import { buildNotebookEvent } from '../notebookevents';
import {
  durationFromTiming,
  errorMessageFromOutputs,
  errorMessageOfRun,
  MAX_CODE_CHARS,
  resultSummary,
  truncate
} from '../outputs';
import { SAFE_DEFAULT_SETTINGS, SERVER_DEFAULT_SETTINGS } from '../settings';

const keyError: nbformat.IError = {
  output_type: 'error',
  ename: 'KeyError',
  evalue: "'price'",
  traceback: ['\u001b[0;31mKeyError\u001b[0m: ...']
};

const stdout = (text: string | string[]): nbformat.IStream => ({
  output_type: 'stream',
  name: 'stdout',
  text
});

const executeResult = (text: string): nbformat.IExecuteResult => ({
  output_type: 'execute_result',
  execution_count: 3,
  data: { 'text/plain': text },
  metadata: {}
});

function run(overrides: Partial<ICellRun> = {}): ICellRun {
  return {
    notebookPath: 'labs/lab1.ipynb',
    cellId: 'a1b2',
    cellIndex: 2,
    cellType: 'code',
    source: 'x = 1\nx + 1',
    executionCount: 3,
    outputs: [executeResult('2')],
    success: true,
    kernelError: null,
    timing: undefined,
    measuredDurationMs: 42,
    finishedAt: new Date('2026-11-27T10:00:00.000Z'),
    ...overrides
  };
}

describe('errorMessageFromOutputs', () => {
  it('reads "ename: evalue" from the error output', () => {
    expect(errorMessageFromOutputs([stdout('hi\n'), keyError])).toBe(
      "KeyError: 'price'"
    );
  });

  it('gives the name alone when the error has no value', () => {
    expect(
      errorMessageFromOutputs([
        {
          output_type: 'error',
          ename: 'KeyboardInterrupt',
          evalue: '',
          traceback: []
        }
      ])
    ).toBe('KeyboardInterrupt');
  });

  it('strips terminal colour codes', () => {
    expect(
      errorMessageFromOutputs([
        {
          output_type: 'error',
          ename: '\u001b[0;31mValueError\u001b[0m',
          evalue: 'bad',
          traceback: []
        }
      ])
    ).toBe('ValueError: bad');
  });

  it('is null when no output is an error', () => {
    expect(errorMessageFromOutputs([stdout('fine')])).toBeNull();
  });
});

describe('errorMessageOfRun', () => {
  it('prefers the error output', () => {
    expect(
      errorMessageOfRun([keyError], { errorName: 'Other', errorValue: 'x' })
    ).toBe("KeyError: 'price'");
  });

  it("falls back to the kernel reply's error", () => {
    expect(
      errorMessageOfRun([], { errorName: 'KeyboardInterrupt', errorValue: '' })
    ).toBe('KeyboardInterrupt');
  });

  it('calls a failed run without any error "Aborted"', () => {
    expect(errorMessageOfRun([], {})).toBe('Aborted');
    expect(errorMessageOfRun([], null)).toBe('Aborted');
  });
});

describe('resultSummary', () => {
  it('uses the text/plain of the execute result', () => {
    expect(resultSummary([stdout('printed\n'), executeResult('42')])).toBe(
      '42'
    );
  });

  it('uses the printed text when there is no result', () => {
    expect(resultSummary([stdout(['a\n', 'b\n']), stdout('c\n')])).toBe(
      'a\nb\nc\n'
    );
  });

  it('names the MIME types of rich output without text', () => {
    expect(
      resultSummary([
        {
          output_type: 'display_data',
          data: { 'image/png': 'iVBOR...' },
          metadata: {}
        }
      ])
    ).toBe('[image/png]');
  });

  it('is null for a cell without output', () => {
    expect(resultSummary([])).toBeNull();
  });

  it('is truncated with an ellipsis', () => {
    const summary = resultSummary([executeResult('x'.repeat(1000))], 100);
    expect(summary).toHaveLength(100);
    expect(summary!.endsWith('\u2026')).toBe(true);
  });
});

describe('truncate', () => {
  it('leaves short texts alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('cuts long texts to the limit, ellipsis included', () => {
    expect(truncate('abcdef', 4)).toBe('abc\u2026');
  });
});

describe('durationFromTiming', () => {
  it("uses the kernel's start and reply times", () => {
    expect(
      durationFromTiming({
        'iopub.status.busy': '2026-11-27T10:00:00.000Z',
        'shell.execute_reply.started': '2026-11-27T10:00:00.010Z',
        'shell.execute_reply': '2026-11-27T10:00:01.260Z',
        'iopub.status.idle': '2026-11-27T10:00:01.300Z'
      })
    ).toBe(1250);
  });

  it('falls back to the busy/idle status messages', () => {
    expect(
      durationFromTiming({
        'iopub.status.busy': '2026-11-27T10:00:00.000Z',
        'iopub.status.idle': '2026-11-27T10:00:00.300Z'
      })
    ).toBe(300);
  });

  it('is null without usable timing', () => {
    expect(durationFromTiming(undefined)).toBeNull();
    expect(
      durationFromTiming({ 'iopub.status.busy': 'not a date' })
    ).toBeNull();
    expect(
      durationFromTiming({
        'shell.execute_reply.started': '2026-11-27T10:00:02Z',
        'shell.execute_reply': '2026-11-27T10:00:01Z'
      })
    ).toBeNull();
  });
});

describe('isReportableRun', () => {
  it('reports a code cell that ran', () => {
    expect(isReportableRun(run())).toBe(true);
  });

  it('does not report a code cell that succeeded without an execution count (nothing ran)', () => {
    expect(isReportableRun(run({ executionCount: null }))).toBe(false);
  });

  it('reports a failed run even without an execution count (aborted)', () => {
    expect(isReportableRun(run({ executionCount: null, success: false }))).toBe(
      true
    );
  });

  it('reports markdown cells and not raw cells', () => {
    expect(
      isReportableRun(run({ cellType: 'markdown', executionCount: null }))
    ).toBe(true);
    expect(
      isReportableRun(run({ cellType: 'raw', executionCount: null }))
    ).toBe(false);
  });
});

describe('buildCellExecutedEvent', () => {
  it('describes a successful run with every field', () => {
    expect(
      buildCellExecutedEvent(run(), SERVER_DEFAULT_SETTINGS, 'id-1')
    ).toEqual({
      eventId: 'id-1',
      eventType: 'cell_executed',
      eventTime: '2026-11-27T10:00:00.000Z',
      notebookPath: 'labs/lab1.ipynb',
      cellId: 'a1b2',
      cellIndex: 2,
      cellType: 'code',
      code: 'x = 1\nx + 1',
      executionCount: 3,
      hasError: false,
      result: '2',
      executionDurationMs: 42
    });
  });

  it('describes a failing run with its error message', () => {
    const event = buildCellExecutedEvent(
      run({
        outputs: [keyError],
        success: false,
        kernelError: { errorName: 'KeyError', errorValue: "'price'" }
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-2'
    );
    expect(event).toMatchObject({
      hasError: true,
      errorMessage: "KeyError: 'price'",
      executionCount: 3
    });
    expect(event).not.toHaveProperty('result');
  });

  it('reports an interrupted run as interrupted, not as an error', () => {
    const event = buildCellExecutedEvent(
      run({
        outputs: [
          {
            output_type: 'error',
            ename: 'KeyboardInterrupt',
            evalue: '',
            traceback: []
          }
        ],
        success: false
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-3'
    );
    expect(event).toMatchObject({
      hasError: false,
      interrupted: true,
      errorMessage: 'KeyboardInterrupt'
    });
  });

  it('reads an interruption from the kernel reply when there is no error output', () => {
    const event = buildCellExecutedEvent(
      run({
        outputs: [],
        success: false,
        kernelError: { errorName: 'KeyboardInterrupt', errorValue: '' }
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-3b'
    );
    expect(event).toMatchObject({ hasError: false, interrupted: true });
  });

  it('does not take an error that merely mentions KeyboardInterrupt for one', () => {
    const event = buildCellExecutedEvent(
      run({
        outputs: [
          {
            output_type: 'error',
            ename: 'KeyError',
            evalue: "'KeyboardInterrupt'",
            traceback: []
          }
        ],
        success: false
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-3c'
    );
    expect(event).toMatchObject({ hasError: true });
    expect(event).not.toHaveProperty('interrupted');
  });

  it('reports a run the kernel aborted as an error without execution count', () => {
    const event = buildCellExecutedEvent(
      run({ outputs: [], success: false, executionCount: null }),
      SERVER_DEFAULT_SETTINGS,
      'id-4'
    );
    expect(event).toMatchObject({
      hasError: true,
      errorMessage: 'Aborted',
      executionCount: null
    });
  });

  it('describes a markdown cell without execution count, error or result', () => {
    const event = buildCellExecutedEvent(
      run({
        cellType: 'markdown',
        source: '# Title',
        executionCount: null,
        outputs: [],
        measuredDurationMs: null
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-5'
    );
    expect(event).toEqual({
      eventId: 'id-5',
      eventType: 'cell_executed',
      eventTime: '2026-11-27T10:00:00.000Z',
      notebookPath: 'labs/lab1.ipynb',
      cellId: 'a1b2',
      cellIndex: 2,
      cellType: 'markdown',
      code: '# Title',
      executionCount: null,
      hasError: false
    });
  });

  it('is null for a run that did not happen', () => {
    expect(
      buildCellExecutedEvent(
        run({ executionCount: null }),
        SERVER_DEFAULT_SETTINGS,
        'id-6'
      )
    ).toBeNull();
  });

  it("prefers the kernel's timing to the browser's measurement", () => {
    const event = buildCellExecutedEvent(
      run({
        timing: {
          'shell.execute_reply.started': '2026-11-27T10:00:00.000Z',
          'shell.execute_reply': '2026-11-27T10:00:00.007Z'
        },
        measuredDurationMs: 120
      }),
      SERVER_DEFAULT_SETTINGS,
      'id-7'
    );
    expect(event?.executionDurationMs).toBe(7);
  });

  it('leaves out code, results and error messages the settings forbid, keeping the facts', () => {
    const event = buildCellExecutedEvent(
      run({ outputs: [stdout('secret'), keyError], success: false }),
      SAFE_DEFAULT_SETTINGS,
      'id-8'
    );
    expect(event).not.toHaveProperty('code');
    expect(event).not.toHaveProperty('result');
    expect(event).not.toHaveProperty('errorMessage');
    expect(event).toMatchObject({
      hasError: true,
      executionCount: 3,
      cellId: 'a1b2'
    });
  });
});

function start(overrides: Partial<ICellStart> = {}): ICellStart {
  return {
    notebookPath: 'labs/lab1.ipynb',
    cellId: 'a1b2',
    cellIndex: 2,
    cellType: 'code',
    source: 'x = 1\nx + 1',
    scheduledAt: new Date('2026-11-27T09:59:58.000Z'),
    ...overrides
  };
}

describe('isReportableStart', () => {
  it('reports a code cell with code', () => {
    expect(isReportableStart(start())).toBe(true);
  });

  it('does not report a blank code cell (the kernel never runs it, no result follows)', () => {
    expect(isReportableStart(start({ source: '  \n' }))).toBe(false);
  });

  it('does not report markdown or raw cells', () => {
    expect(isReportableStart(start({ cellType: 'markdown' }))).toBe(false);
    expect(isReportableStart(start({ cellType: 'raw' }))).toBe(false);
  });
});

describe('buildCellStartedEvent', () => {
  it('names the cell, its place and the time it was scheduled, with its code', () => {
    expect(
      buildCellStartedEvent(start(), SERVER_DEFAULT_SETTINGS, 'id-7')
    ).toEqual({
      eventId: 'id-7',
      eventType: 'cell_started',
      eventTime: '2026-11-27T09:59:58.000Z',
      notebookPath: 'labs/lab1.ipynb',
      cellId: 'a1b2',
      cellIndex: 2,
      cellType: 'code',
      code: 'x = 1\nx + 1'
    });
  });

  it('leaves out the code when the settings forbid it', () => {
    const event = buildCellStartedEvent(
      start(),
      { ...SERVER_DEFAULT_SETTINGS, sendCode: false },
      'id-7'
    );

    expect(event).not.toHaveProperty('code');
    expect(event?.cellId).toBe('a1b2');
  });

  it('truncates long code like a run does', () => {
    const event = buildCellStartedEvent(
      start({ source: 'x'.repeat(MAX_CODE_CHARS + 10) }),
      SERVER_DEFAULT_SETTINGS,
      'id-7'
    );

    expect(event?.code).toHaveLength(MAX_CODE_CHARS);
    expect(event?.code?.endsWith('\u2026')).toBe(true);
  });

  it('is null for a markdown cell', () => {
    expect(
      buildCellStartedEvent(
        start({ cellType: 'markdown', source: '# Notes' }),
        SERVER_DEFAULT_SETTINGS,
        'id-7'
      )
    ).toBeNull();
  });
});

describe('buildNotebookEvent', () => {
  it('names the notebook and the time only', () => {
    expect(
      buildNotebookEvent(
        'notebook_saved',
        'lab1.ipynb',
        new Date('2026-11-27T10:00:00Z'),
        'id-9'
      )
    ).toEqual({
      eventId: 'id-9',
      eventType: 'notebook_saved',
      eventTime: '2026-11-27T10:00:00.000Z',
      notebookPath: 'lab1.ipynb'
    });
  });
});
