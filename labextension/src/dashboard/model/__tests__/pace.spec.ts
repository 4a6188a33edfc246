import { clipToWindow, fillPaceGaps } from '../pace';
import { IPacePoint } from '../../types';

function point(time: string, executions: number, median: number): IPacePoint {
  return {
    time,
    executions,
    errors: 1,
    activeStudents: 2,
    cellsCompletedMedian: median
  };
}

describe('fillPaceGaps', () => {
  it('adds empty buckets where the class was quiet, keeping its progress', () => {
    const series = [
      point('2026-11-27T10:00:00Z', 5, 1),
      point('2026-11-27T10:03:00Z', 7, 3)
    ];

    const filled = fillPaceGaps(series, 60);

    expect(
      filled.map(p => [p.time, p.executions, p.cellsCompletedMedian])
    ).toEqual([
      ['2026-11-27T10:00:00Z', 5, 1],
      ['2026-11-27T10:01:00.000Z', 0, 1],
      ['2026-11-27T10:02:00.000Z', 0, 1],
      ['2026-11-27T10:03:00Z', 7, 3]
    ]);
    expect(filled[1].errors).toBe(0);
    expect(filled[1].activeStudents).toBe(0);
  });

  it('leaves a series without gaps as it is, in time order', () => {
    const series = [
      point('2026-11-27T10:01:00Z', 2, 1),
      point('2026-11-27T10:00:00Z', 1, 0)
    ];

    expect(fillPaceGaps(series, 60)).toEqual([series[1], series[0]]);
  });

  it('keeps only the most recent buckets of a long series', () => {
    const series = [
      point('2026-11-27T08:00:00Z', 9, 2),
      point('2026-11-27T10:00:00Z', 4, 5)
    ];

    const filled = fillPaceGaps(series, 60, 3);

    expect(filled.map(p => p.time)).toEqual([
      '2026-11-27T09:58:00.000Z',
      '2026-11-27T09:59:00.000Z',
      '2026-11-27T10:00:00Z'
    ]);
    expect(filled[0].cellsCompletedMedian).toBe(2);
  });

  it('returns nothing for an empty series', () => {
    expect(fillPaceGaps([], 60)).toEqual([]);
  });
});

describe('fillPaceGaps with quartiles', () => {
  it('carries the quartiles of progress into the quiet buckets', () => {
    const series: IPacePoint[] = [
      {
        ...point('2026-11-27T10:00:00Z', 5, 2),
        cellsCompletedQ1: 1,
        cellsCompletedQ3: 4
      },
      {
        ...point('2026-11-27T10:02:00Z', 3, 3),
        cellsCompletedQ1: 2,
        cellsCompletedQ3: 5
      }
    ];
    const filled = fillPaceGaps(series, 60);
    expect(
      filled.map(p => [
        p.cellsCompletedQ1,
        p.cellsCompletedMedian,
        p.cellsCompletedQ3
      ])
    ).toEqual([
      [1, 2, 4],
      [1, 2, 4],
      [2, 3, 5]
    ]);
  });

  it('uses the median for the quartiles of an older server', () => {
    const filled = fillPaceGaps(
      [
        point('2026-11-27T10:00:00Z', 5, 2),
        point('2026-11-27T10:02:00Z', 1, 3)
      ],
      60
    );
    expect(filled[1]).toMatchObject({
      cellsCompletedQ1: 2,
      cellsCompletedQ3: 2
    });
  });
});

describe('clipToWindow', () => {
  const series = [
    point('2026-11-27T10:00:00Z', 1, 0),
    point('2026-11-27T10:05:00Z', 2, 1),
    point('2026-11-27T10:10:00Z', 3, 2)
  ];

  it('keeps the buckets from since (inclusive) until until (exclusive)', () => {
    const clipped = clipToWindow(series, {
      since: '2026-11-27T10:05:00Z',
      until: '2026-11-27T10:10:00Z'
    });
    expect(clipped.map(p => p.executions)).toEqual([2]);
  });

  it('keeps everything for an open window, and an open end unbounded', () => {
    expect(clipToWindow(series, { since: null, until: null })).toEqual(series);
    expect(
      clipToWindow(series, { since: '2026-11-27T10:01:00Z', until: null }).map(
        p => p.executions
      )
    ).toEqual([2, 3]);
  });
});
