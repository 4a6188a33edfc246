/**
 * Preparing the class pace for a chart. Pure logic, no DOM.
 */
import { parseTime } from './time';
import { IPacePoint } from '../types';

/** The most buckets drawn; older ones are left out. */
export const MAX_PACE_BUCKETS = 720;

/**
 * The series with a bucket for every interval between its first and last point, so that the
 * chart's horizontal axis is proportional to time: the server lists only buckets with activity.
 * An added bucket has no executions, errors or active students, and keeps the class's progress
 * (the median and quartiles of cells completed so far) of the bucket before it. At most
 * `maxBuckets` of the most recent buckets are kept.
 */
export function fillPaceGaps(
  series: readonly IPacePoint[],
  bucketSeconds: number,
  maxBuckets: number = MAX_PACE_BUCKETS
): IPacePoint[] {
  const step = bucketSeconds * 1000;
  const points = series
    .map(p => ({ point: p, at: parseTime(p.time) }))
    .filter((p): p is { point: IPacePoint; at: number } => p.at !== null)
    .sort((a, b) => a.at - b.at);
  if (points.length === 0 || !(step > 0)) {
    return points.map(p => p.point);
  }
  const last = points[points.length - 1].at;
  const first = Math.max(points[0].at, last - (maxBuckets - 1) * step);
  const filled: IPacePoint[] = [];
  let index = 0;
  let progress = progressOf(null);
  // Progress already made before the first bucket drawn.
  while (index < points.length && points[index].at < first) {
    progress = progressOf(points[index].point);
    index += 1;
  }
  for (let at = first; at <= last; at += step) {
    let point: IPacePoint | null = null;
    while (index < points.length && points[index].at < at + step) {
      point = points[index].point;
      index += 1;
    }
    if (point) {
      progress = progressOf(point);
      filled.push(point);
    } else {
      filled.push({
        time: new Date(at).toISOString(),
        executions: 0,
        errors: 0,
        activeStudents: 0,
        ...progress
      });
    }
  }
  return filled;
}

/** How far the class has got at a point: median and quartiles (the median without them). */
function progressOf(
  point: IPacePoint | null
): Pick<
  IPacePoint,
  'cellsCompletedMedian' | 'cellsCompletedQ1' | 'cellsCompletedQ3'
> {
  const median = point?.cellsCompletedMedian ?? 0;
  return {
    cellsCompletedMedian: median,
    cellsCompletedQ1: point?.cellsCompletedQ1 ?? median,
    cellsCompletedQ3: point?.cellsCompletedQ3 ?? median
  };
}

/**
 * The points of a series inside a time window: from `since` (inclusive) until `until`
 * (exclusive), an open end unbounded; for the pace chart of the dashboard's window.
 */
export function clipToWindow(
  series: readonly IPacePoint[],
  window: { since: string | null; until: string | null }
): IPacePoint[] {
  const since = window.since ? parseTime(window.since) : null;
  const until = window.until ? parseTime(window.until) : null;
  return series.filter(p => {
    const at = parseTime(p.time);
    return (
      at !== null &&
      (since === null || at >= since) &&
      (until === null || at < until)
    );
  });
}
