import {
  cellLabel,
  cellTooltip,
  clockTime,
  errorGroupLabel,
  exportFileName,
  firstLine,
  reasonLabel
} from '../format';
import {
  formatDuration,
  isAfter,
  isAtOrAfter,
  latest,
  parseTime
} from '../time';
import { cell } from './fixtures';

describe('texts of the dashboard', () => {
  it('labels a cell by its 1-based position', () => {
    expect(cellLabel({ cellIndex: 0 })).toBe('[1]');
    expect(cellLabel({ cellIndex: 11 })).toBe('[12]');
    expect(cellLabel({ cellIndex: null })).toBe('[?]');
    expect(cellLabel(undefined)).toBe('[?]');
  });

  it('describes a group of errors by its message and how many students hit it', () => {
    expect(
      errorGroupLabel({ errorMessage: "KeyError: 'price'", students: 14 })
    ).toBe("KeyError: 'price' — 14 students");
    expect(
      errorGroupLabel({ errorMessage: 'NameError: x\nmore', students: 1 })
    ).toBe('NameError: x — 1 student');
  });

  it('keeps only the first line of a multi-line text', () => {
    expect(firstLine('a\nb')).toBe('a');
    expect(firstLine(null)).toBe('');
  });

  it('describes why a student needs help', () => {
    const cells = [{ cellId: 'c2', cellIndex: 1, cellType: 'code' }];
    expect(
      reasonLabel({ kind: 'errors', cellId: 'c2', errors: 4 }, cells)
    ).toBe('4 errors on [2]');
    expect(reasonLabel({ kind: 'idle', idleMs: 12 * 60_000 }, cells)).toBe(
      'idle 12 min'
    );
  });

  it('gives the attempts, errors and last error of a grid cell on hover', () => {
    const text = cellTooltip(
      'alice',
      { cellId: 'c1', cellIndex: 2, cellType: 'code' },
      cell({
        status: 'failed',
        attempts: 4,
        errors: 3,
        lastError: '<img src=x onerror=alert(1)>'
      })
    );
    expect(text.split('\n').slice(0, 3)).toEqual([
      'alice · cell [3]',
      'failed · 4 attempts · 3 errors',
      'last error: <img src=x onerror=alert(1)>'
    ]);
    expect(
      cellTooltip(
        'bob',
        { cellId: 'c1', cellIndex: 0, cellType: 'code' },
        undefined
      )
    ).toBe('bob · cell [1]\nnot run');
  });

  it('tells on hover that a cell is running and when it started', () => {
    const info = { cellId: 'c1', cellIndex: 0, cellType: 'code' };
    const started = '2026-11-27T10:42:07Z';

    expect(
      cellTooltip(
        'alice',
        info,
        cell({ status: 'running', attempts: 0, lastActivity: started })
      )
    ).toBe(
      `alice · cell [1]\nrunning · first run\nstarted: ${clockTime(started)}`
    );
    expect(
      cellTooltip(
        'alice',
        info,
        cell({
          status: 'running',
          attempts: 2,
          errors: 1,
          lastActivity: started
        })
      ).split('\n')[1]
    ).toBe('running · 2 attempts · 1 error');
  });

  it('names an export after the notebook, with a safe file name', () => {
    expect(exportFileName('course/week 1/lab1.ipynb')).toBe(
      'progress-lab1.csv'
    );
    expect(exportFileName('a b;c.ipynb')).toBe('progress-a_b_c.csv');
    expect(exportFileName(null)).toBe('progress-all.csv');
  });

  it('reads and compares ISO times', () => {
    expect(parseTime('2026-11-27T10:00:00Z')).toBe(Date.UTC(2026, 10, 27, 10));
    expect(parseTime('not a time')).toBeNull();
    expect(
      isAtOrAfter('2026-11-27T10:00:00+01:00', '2026-11-27T09:30:00Z')
    ).toBe(false);
    expect(isAtOrAfter('2026-11-27T10:00:00Z', null)).toBe(true);
    expect(isAfter('2026-11-27T10:00:01Z', '2026-11-27T10:00:00Z')).toBe(true);
    expect(isAfter('2026-11-27T10:00:00Z', '2026-11-27T10:00:00Z')).toBe(false);
    expect(isAfter('2026-11-27T10:00:00Z', null)).toBe(true);
    expect(isAfter('not a time', null)).toBe(false);
    expect(latest('2026-11-27T10:00:00Z', '2026-11-27T11:00:00Z')).toBe(
      '2026-11-27T11:00:00Z'
    );
    expect(latest(null, '2026-11-27T11:00:00Z')).toBe('2026-11-27T11:00:00Z');
  });

  it('writes durations in minutes and hours', () => {
    expect(formatDuration(59_000)).toBe('0 min');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(120 * 60_000)).toBe('2 h');
  });
});
