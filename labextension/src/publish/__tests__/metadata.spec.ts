import { assignmentIdOf, readAssignment } from '../../assignment';
import { defaultTitle, newAssignmentId, stampAssignment } from '../metadata';

describe('stamping a notebook when it is published', () => {
  it('gives a notebook published for the first time a new id, the course and the title', () => {
    expect(
      stampAssignment(undefined, { course: 'cs101', title: 'Lab 1' }, () =>
        'f'.repeat(32)
      )
    ).toEqual({
      assignmentId: 'f'.repeat(32),
      course: 'cs101',
      title: 'Lab 1'
    });
  });

  it('keeps the assignment id when it is published again, with the new course and title', () => {
    const stamped = stampAssignment(
      { assignmentId: 'abc123', course: 'cs101', title: 'Old', extra: 1 },
      { course: 'cs102', title: 'New' },
      () => 'never used'
    );
    expect(stamped).toEqual({
      assignmentId: 'abc123',
      course: 'cs102',
      title: 'New'
    });
  });

  it('replaces metadata without a usable id', () => {
    for (const broken of [
      null,
      'abc',
      [],
      { assignmentId: 5 },
      { assignmentId: '' },
      { assignmentId: 'x'.repeat(129) }
    ]) {
      expect(
        stampAssignment(broken, { course: 'c', title: 't' }, () => 'new')
          .assignmentId
      ).toBe('new');
    }
  });
});

describe('assignment ids', () => {
  it('are random uuid4s in hex, without dashes', () => {
    const id = newAssignmentId();
    expect(id).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(newAssignmentId()).not.toBe(id);
  });

  it('are read from the metadata a student copy carries', () => {
    const metadata = { assignmentId: 'a1', course: 'cs101', title: 'Lab' };
    expect(readAssignment(metadata)).toEqual(metadata);
    expect(assignmentIdOf(metadata)).toBe('a1');
    expect(assignmentIdOf(undefined)).toBeNull();
    expect(readAssignment({ assignmentId: 'a1' })).toEqual({
      assignmentId: 'a1',
      course: '',
      title: ''
    });
  });
});

describe('the default title', () => {
  it("is the notebook's file name without .ipynb", () => {
    expect(defaultTitle('course/week 1/Lab1.ipynb')).toBe('Lab1');
    expect(defaultTitle('notes.IPYNB')).toBe('notes');
    expect(defaultTitle('.ipynb')).toBe('.ipynb');
  });
});
