/**
 * Which courses the user may publish an assignment in, from `GET api/v1/me`. Pure logic.
 */
import type { ICourse, IMe } from '../dashboard/types';

/** The implicit course of a plain (embedded) server, whose instructor is its owner. */
export const IMPLICIT_COURSE = 'default';

/** A course offered in the publish dialog. */
export interface IPublishCourse {
  id: string;
  title: string;
}

function isCourse(value: unknown): value is ICourse {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as ICourse).id === 'string' &&
    (value as ICourse).id.length > 0
  );
}

/**
 * The courses the user is an instructor of, in the server's order.
 *
 * A server that lists courses decides (only those with role `instructor`); one that lists none
 * (a plain server from before courses) offers its owner, the instructor, the implicit course
 * `default`. Anybody else gets nothing: the command is not offered.
 */
export function publishableCourses(me: IMe | null): IPublishCourse[] {
  if (!me) {
    return [];
  }
  if (Array.isArray(me.courses)) {
    return me.courses
      .filter(isCourse)
      .filter(course => course.role === 'instructor')
      .map(course => ({
        id: course.id,
        title:
          typeof course.title === 'string' && course.title
            ? course.title
            : course.id
      }));
  }
  return me.isInstructor && me.mode === 'embedded'
    ? [{ id: IMPLICIT_COURSE, title: IMPLICIT_COURSE }]
    : [];
}

/**
 * The course the dialog proposes: the one the notebook was published in when the user may
 * still publish there, else the first.
 */
export function proposedCourse(
  courses: readonly IPublishCourse[],
  publishedIn: string | null | undefined
): string | null {
  if (publishedIn && courses.some(course => course.id === publishedIn)) {
    return publishedIn;
  }
  return courses[0]?.id ?? null;
}
