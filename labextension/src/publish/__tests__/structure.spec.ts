import {
  buildStructure,
  cellLabel,
  MAX_LABEL_CHARS,
  MAX_SOURCE_CHARS
} from '../structure';

describe('the label of a cell', () => {
  it("is a markdown cell's first heading, without its marks", () => {
    const source = 'Some intro\n\n## Exercise 2: *group by* ##\nMore text';
    expect(cellLabel({ type: 'markdown', source }, 0)).toBe(
      'Exercise 2: *group by*'
    );
  });

  it('is the first non-empty line when a markdown cell has no heading', () => {
    expect(
      cellLabel({ type: 'markdown', source: '\n   \n  Read the data.  \n' }, 0)
    ).toBe('Read the data.');
  });

  it("is a code cell's first non-empty line, a '#' comment included", () => {
    expect(
      cellLabel({ type: 'code', source: '\n# Load the sales\ndf = 1' }, 3)
    ).toBe('# Load the sales');
  });

  it('does not take a hashtag without a space for a heading', () => {
    expect(
      cellLabel({ type: 'markdown', source: '#notaheading\n# Real one' }, 0)
    ).toBe('Real one');
  });

  it('is cut to 80 characters, marked with an ellipsis', () => {
    const label = cellLabel({ type: 'code', source: 'x'.repeat(200) }, 0);
    expect(label).toHaveLength(MAX_LABEL_CHARS);
    expect(label.endsWith('\u2026')).toBe(true);
  });

  it('names an empty cell by its position', () => {
    expect(cellLabel({ type: 'code', source: '  \n\n' }, 4)).toBe('Cell 5');
  });
});

describe('the structure of a notebook', () => {
  it('lists every cell in order with id, grade id, type, label and source', () => {
    const structure = buildStructure([
      { id: 'a1', type: 'markdown', source: '# Lab 1\nWelcome' },
      {
        id: 'b2',
        type: 'code',
        source: 'import pandas as pd',
        nbgrader: { grade_id: 'imports', grade: false }
      },
      { id: 'c3', type: 'raw', source: '' },
      { id: 'd4', type: 'code', source: 'df.head()', nbgrader: {} }
    ]);
    expect(structure).toEqual([
      {
        cellId: 'a1',
        gradeId: null,
        cellType: 'markdown',
        label: 'Lab 1',
        source: '# Lab 1\nWelcome'
      },
      {
        cellId: 'b2',
        gradeId: 'imports',
        cellType: 'code',
        label: 'import pandas as pd',
        source: 'import pandas as pd'
      },
      {
        cellId: 'c3',
        gradeId: null,
        cellType: 'raw',
        label: 'Cell 3',
        source: ''
      },
      {
        cellId: 'd4',
        gradeId: null,
        cellType: 'code',
        label: 'df.head()',
        source: 'df.head()'
      }
    ]);
  });

  it('ignores unusable nbgrader grade ids', () => {
    const [a, b, c] = buildStructure([
      { id: 'a', type: 'code', source: '', nbgrader: { grade_id: 7 } },
      { id: 'b', type: 'code', source: '', nbgrader: { grade_id: '' } },
      {
        id: 'c',
        type: 'code',
        source: '',
        nbgrader: { grade_id: 'g'.repeat(129) }
      }
    ]);
    expect([a.gradeId, b.gradeId, c.gradeId]).toEqual([null, null, null]);
  });

  it('bounds the source it registers', () => {
    const [cell] = buildStructure([
      { id: 'a', type: 'code', source: 'y'.repeat(MAX_SOURCE_CHARS + 5) }
    ]);
    expect(cell.source).toHaveLength(MAX_SOURCE_CHARS);
  });
});
