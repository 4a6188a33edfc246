import { nullTranslator } from '@jupyterlab/translation';
import { cellLabel, exportFileName, firstLine, Texts } from '../format';
import { isAfter, isAtOrAfter, latest, parseTime } from '../time';
import { cell } from './fixtures';

/** The texts as JupyterLab shows them without a language pack. */
const texts = new Texts(nullTranslator.load('progress_tracker'), 'en');

describe('texts of the dashboard', () => {
  it('labels a cell by its 1-based position', () => {
    expect(cellLabel({ cellIndex: 0 })).toBe('[1]');
    expect(cellLabel({ cellIndex: 11 })).toBe('[12]');
    expect(cellLabel({ cellIndex: null })).toBe('[?]');
    expect(cellLabel(undefined)).toBe('[?]');
  });

  it('describes a group of errors by its message and how many students hit it', () => {
    expect(
      texts.errorGroupLabel({ errorMessage: "KeyError: 'price'", students: 14 })
    ).toBe("KeyError: 'price' — 14 students");
    expect(
      texts.errorGroupLabel({ errorMessage: 'NameError: x\nmore', students: 1 })
    ).toBe('NameError: x — 1 student');
  });

  it('keeps only the first line of a multi-line text', () => {
    expect(firstLine('a\nb')).toBe('a');
    expect(firstLine(null)).toBe('');
  });

  it('describes why a student needs help', () => {
    const cells = [{ cellId: 'c2', cellIndex: 1, cellType: 'code' }];
    expect(
      texts.reasonLabel({ kind: 'errors', cellId: 'c2', errors: 4 }, cells)
    ).toBe('4 errors on [2]');
    expect(
      texts.reasonLabel({ kind: 'idle', idleMs: 12 * 60_000 }, cells)
    ).toBe('idle 12 min');
  });

  it('gives the attempts, errors and last error of a grid cell on hover', () => {
    const text = texts.cellTooltip(
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
      texts.cellTooltip(
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
      texts.cellTooltip(
        'alice',
        info,
        cell({ status: 'running', attempts: 0, lastActivity: started })
      )
    ).toBe(
      `alice · cell [1]\nrunning · first run\nstarted: ${texts.clockTime(started)}`
    );
    expect(
      texts
        .cellTooltip(
          'alice',
          info,
          cell({
            status: 'running',
            attempts: 2,
            errors: 1,
            lastActivity: started
          })
        )
        .split('\n')[1]
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
    expect(texts.duration(59_000)).toBe('0 min');
    expect(texts.duration(12 * 60_000)).toBe('12 min');
    expect(texts.duration(125 * 60_000)).toBe('2 hr 5 min');
    expect(texts.duration(120 * 60_000)).toBe('2 hr');
  });

  it('writes counts, durations and times for the language', () => {
    expect(texts.students(1234)).toBe('1,234 students');
    expect(texts.milliseconds(15.4)).toBe('15 ms');
    const german = new Texts(nullTranslator.load('progress_tracker'), 'de');
    expect(german.students(1234)).toBe('1.234 students');
    const at = new Date(2026, 10, 27, 9, 5, 7).toISOString();
    expect(texts.clockTime(at)).toBe('09:05:07');
    expect(texts.hourMinute(at)).toBe('09:05');
    expect(texts.clockTime('not a time')).toBe('not a time');
  });

  it('explains a failed request', () => {
    const refused = Object.assign(new Error('Forbidden'), {
      response: { status: 403 }
    });
    const broken = Object.assign(new Error('Bad gateway'), {
      response: { status: 502 }
    });
    expect(texts.failure('Could not load the errors', refused)).toBe(
      "Could not load the errors: only instructors may see the class's progress."
    );
    expect(texts.failure('Could not load the errors', broken)).toBe(
      'Could not load the errors: Bad gateway (HTTP 502)'
    );
    expect(
      texts.failure('The export failed', new TypeError('Failed to fetch'))
    ).toBe('The export failed: Failed to fetch');
  });
});
