/**
 * What the grid's headers and rows say about an assignment, as text.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { cellLabel, Texts } from '../../model/format';
import { headerDescription, headerText } from '../gridheader';

const texts = new Texts(nullTranslator.load('progress_tracker'), 'en');

describe('column headers', () => {
  const published = {
    cellId: 'group',
    cellIndex: 2,
    cellType: 'code',
    label: '# Total per region',
    source: '# Total per region\ndf.groupby("region").sum()'
  };

  it("show a published cell's label, not its position", () => {
    expect(headerText(published)).toBe('# Total per region');
    expect(cellLabel(published)).toBe('# Total per region');
  });

  it('show the position of a cell without a label, as before', () => {
    expect(headerText({ cellId: 'c', cellIndex: 4, cellType: 'code' })).toBe(
      '5'
    );
  });

  it('describe the column with its full source, for hover and focus', () => {
    expect(headerDescription(texts, published)).toBe(
      'cell [3] · # Total per region\n\n# Total per region\ndf.groupby("region").sum()'
    );
    expect(
      headerDescription(texts, { cellId: 'c', cellIndex: 0, cellType: null })
    ).toBe('cell [1]');
  });
});

describe('row details', () => {
  it("summarise a student's own cells", () => {
    expect(texts.ownCells({ runs: 1, errors: 0 })).toBe('1 run');
    expect(texts.ownCells({ runs: 5, errors: 2 })).toBe('5 runs · 2 errors');
  });

  it('say whether the student has it open, when they first opened and last saved it', () => {
    const first = '2026-12-01T09:30:00Z';
    const saved = '2026-12-01T10:40:00Z';
    const details = texts.presence('ada', {
      open: true,
      firstOpened: first,
      lastSaved: saved
    });
    expect(details).toBe(
      `ada · open now · first opened ${texts.clockTime(first)} · last saved ${texts.clockTime(saved)}`
    );
    expect(
      texts.presence('ben', { open: false, firstOpened: null, lastSaved: null })
    ).toBe('ben · not open');
    expect(texts.presence('cleo', undefined)).toBe('cleo');
  });
});
