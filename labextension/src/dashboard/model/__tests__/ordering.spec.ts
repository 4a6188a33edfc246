import { orderStudents } from '../ordering';
import { IStudentProgress } from '../../types';
import { cell, student } from './fixtures';

const STUDENTS = [
  student('carol', { c1: cell(), c2: cell() }),
  student('alice', { c1: cell() }),
  student('bob', {}),
  student('dave', { c1: cell() })
];
const completed = (s: IStudentProgress): number => Object.keys(s.cells).length;

describe('orderStudents', () => {
  it('sorts by name', () => {
    expect(
      orderStudents(STUDENTS, 'name', completed).map(s => s.userId)
    ).toEqual(['alice', 'bob', 'carol', 'dave']);
  });

  it('puts the students who completed the fewest cells first, ties by name', () => {
    expect(
      orderStudents(STUDENTS, 'progress', completed).map(s => s.userId)
    ).toEqual(['bob', 'alice', 'dave', 'carol']);
  });

  it('puts the students needing help first, in their urgency order, then the others by name', () => {
    expect(
      orderStudents(STUDENTS, 'help', completed, ['dave', 'bob']).map(
        s => s.userId
      )
    ).toEqual(['dave', 'bob', 'alice', 'carol']);
  });

  it('does not reorder the list it is given', () => {
    const input = [...STUDENTS];
    orderStudents(input, 'name', completed);
    expect(input.map(s => s.userId)).toEqual(['carol', 'alice', 'bob', 'dave']);
  });
});
