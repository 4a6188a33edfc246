/**
 * The time window bounds the panels the server answers: the errors and a student's timeline
 * ask with its ends and say so in their headings.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { withQuery } from '../../net/query';
import {
  errorsHeading,
  EVERYTHING,
  noErrorsText,
  noRunsText,
  sameWindow,
  timelineHeading,
  windowQuery
} from '../windowscope';

const trans = nullTranslator.load('progress_tracker');
const SINCE = '2026-03-02T10:02:00.000Z';
const UNTIL = '2026-03-02T10:12:00.000Z';
// The clock of the heading: "10:02" for SINCE, whatever the machine's time zone.
const time = (iso: string) => iso.slice(11, 16);

describe('windowQuery', () => {
  it('asks with nothing for everything, as before the window existed', () => {
    expect(windowQuery(EVERYTHING)).toEqual({});
    expect(
      withQuery('errors', { notebook: 'lab.ipynb', ...windowQuery(EVERYTHING) })
    ).toBe('errors?notebook=lab.ipynb');
  });

  it('asks with both ends of a closed window', () => {
    const query = withQuery('errors', {
      notebook: 'lab.ipynb',
      ...windowQuery({ since: SINCE, until: UNTIL })
    });
    expect(query).toBe(
      'errors?notebook=lab.ipynb' +
        `&since=${encodeURIComponent(SINCE)}&until=${encodeURIComponent(UNTIL)}`
    );
  });

  it('leaves out an open end', () => {
    expect(windowQuery({ since: SINCE, until: null })).toEqual({
      since: SINCE
    });
    expect(windowQuery({ since: null, until: UNTIL })).toEqual({
      until: UNTIL
    });
  });
});

describe('sameWindow', () => {
  it('is true for the same ends, whatever the object', () => {
    expect(
      sameWindow({ since: SINCE, until: null }, { since: SINCE, until: null })
    ).toBe(true);
    expect(sameWindow(EVERYTHING, { since: null, until: null })).toBe(true);
  });

  it('is false when either end moved', () => {
    expect(
      sameWindow({ since: SINCE, until: null }, { since: SINCE, until: UNTIL })
    ).toBe(false);
    expect(sameWindow(EVERYTHING, { since: SINCE, until: null })).toBe(false);
  });
});

describe('errorsHeading', () => {
  it('says "Errors by cell" without a window', () => {
    expect(errorsHeading(trans, time, EVERYTHING)).toBe('Errors by cell');
  });

  it('names both ends of a closed window', () => {
    expect(errorsHeading(trans, time, { since: SINCE, until: UNTIL })).toBe(
      'Errors from 10:02 to 10:12'
    );
  });

  it('names the one end of an open window', () => {
    expect(errorsHeading(trans, time, { since: SINCE, until: null })).toBe(
      'Errors since 10:02'
    );
    expect(errorsHeading(trans, time, { since: null, until: UNTIL })).toBe(
      'Errors until 10:12'
    );
  });

  it('says an empty window has no errors in it, not "so far"', () => {
    expect(noErrorsText(trans, EVERYTHING)).toBe('No errors so far.');
    expect(noErrorsText(trans, { since: SINCE, until: null })).toBe(
      'No errors in this time window.'
    );
  });
});

describe('timelineHeading', () => {
  it('is the student alone without a window', () => {
    expect(timelineHeading(trans, time, 'alice', EVERYTHING)).toBe(
      'Timeline of alice'
    );
  });

  it('names the window the runs were asked within', () => {
    expect(
      timelineHeading(trans, time, 'alice', { since: SINCE, until: UNTIL })
    ).toBe('Timeline of alice from 10:02 to 10:12');
    expect(
      timelineHeading(trans, time, 'alice', { since: SINCE, until: null })
    ).toBe('Timeline of alice since 10:02');
    expect(
      timelineHeading(trans, time, 'alice', { since: null, until: UNTIL })
    ).toBe('Timeline of alice until 10:12');
  });

  it('says an empty window has no runs in it', () => {
    expect(noRunsText(trans, EVERYTHING)).toBe('No runs yet.');
    expect(noRunsText(trans, { since: null, until: UNTIL })).toBe(
      'No runs in this time window.'
    );
  });
});
