import type { IMe } from '../../dashboard/types';
import { proposedCourse, publishableCourses } from '../courses';

const me = (overrides: Partial<IMe>): IMe => ({
  userId: 'prof',
  isInstructor: true,
  mode: 'collector',
  ...overrides
});

describe('the courses an instructor may publish in', () => {
  it('are the courses the server lists with role instructor', () => {
    expect(
      publishableCourses(
        me({
          courses: [
            { id: 'cs101', title: 'Intro', role: 'instructor', sections: [] },
            { id: 'cs102', role: 'ta', sections: ['a'] },
            { id: 'ma201', title: null, role: 'instructor' },
            { id: 'ph300', role: 'student' }
          ]
        })
      )
    ).toEqual([
      { id: 'cs101', title: 'Intro' },
      { id: 'ma201', title: 'ma201' }
    ]);
  });

  it("are the implicit course 'default' for the owner of a plain server listing none", () => {
    expect(publishableCourses(me({ mode: 'embedded' }))).toEqual([
      { id: 'default', title: 'default' }
    ]);
  });

  it('are none for a student, a TA, or when the server would not say', () => {
    expect(
      publishableCourses(me({ isInstructor: false, mode: 'embedded' }))
    ).toEqual([]);
    expect(
      publishableCourses(me({ courses: [{ id: 'cs101', role: 'ta' }] }))
    ).toEqual([]);
    expect(publishableCourses(me({ mode: 'forwarder' }))).toEqual([]);
    expect(publishableCourses(null)).toEqual([]);
  });

  it('skip malformed entries', () => {
    const courses = [
      null,
      { id: '', role: 'instructor' },
      { role: 'instructor' },
      { id: 'ok', role: 'instructor' }
    ] as unknown as IMe['courses'];
    expect(publishableCourses(me({ courses }))).toEqual([
      { id: 'ok', title: 'ok' }
    ]);
  });
});

describe('the course proposed in the dialog', () => {
  const courses = [
    { id: 'cs101', title: 'cs101' },
    { id: 'cs102', title: 'cs102' }
  ];

  it('is the course the notebook was published in', () => {
    expect(proposedCourse(courses, 'cs102')).toBe('cs102');
  });

  it('is the first course when the notebook was not published in one of them', () => {
    expect(proposedCourse(courses, 'other')).toBe('cs101');
    expect(proposedCourse(courses, null)).toBe('cs101');
    expect(proposedCourse([], null)).toBeNull();
  });
});
