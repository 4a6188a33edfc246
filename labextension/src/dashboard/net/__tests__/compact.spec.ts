import { CompactReader, expandStudent, readCompact } from '../compact';

const HEAD = {
  form: 'compact',
  fields: [
    'status',
    'attempts',
    'errors',
    'lastError',
    'lastActivity',
    'executionCount'
  ],
  notebooks: [],
  notebook: 'lab.ipynb',
  cells: [
    { cellId: 'a', cellIndex: 0, cellType: 'code' },
    { cellId: 'b', cellIndex: 1, cellType: 'code' }
  ],
  lastEventId: 'e9',
  generatedAt: '2026-12-01T10:00:00+00:00',
  liveFeed: 'f1',
  liveSeq: 7,
  studentCount: 2,
  pageSize: 1
};

const ADA = {
  userId: 'ada',
  lastActivity: '2026-12-01T09:59:00+00:00',
  currentCellId: 'b',
  cells: [
    [0, 'succeeded', 1, 0, null, '2026-12-01T09:58:00+00:00', 1],
    [1, 'failed', 2, 2, "KeyError: 'x'", '2026-12-01T09:59:00+00:00', 3]
  ]
};
const BEN = {
  ...ADA,
  userId: 'ben',
  currentCellId: 'a',
  cells: [ADA.cells[0]]
};

/** The answer as the server writes it: head line, one page per line, closing line. */
const BODY =
  `${JSON.stringify(HEAD).slice(0, -1)}, "pages": [\n` +
  `${JSON.stringify([ADA])}\n,${JSON.stringify([BEN])}\n]}\n`;

describe('the compact snapshot', () => {
  it('is one JSON document', () => {
    expect(JSON.parse(BODY).pages).toHaveLength(2);
  });

  it('expands a student to the full form, column by column', () => {
    expect(expandStudent(HEAD, ADA).cells).toEqual({
      a: {
        status: 'succeeded',
        attempts: 1,
        errors: 0,
        lastError: null,
        lastActivity: '2026-12-01T09:58:00+00:00',
        executionCount: 1
      },
      b: {
        status: 'failed',
        attempts: 2,
        errors: 2,
        lastError: "KeyError: 'x'",
        lastActivity: '2026-12-01T09:59:00+00:00',
        executionCount: 3
      }
    });
  });

  it('gives each page as soon as its line is complete, however the text is cut', () => {
    const reader = new CompactReader();
    const cut = BODY.indexOf('\n,') + 5;
    expect(reader.push(BODY.slice(0, cut))).toBe(1);
    expect(reader.snapshot()!.students.map(s => s.userId)).toEqual(['ada']);
    expect(reader.snapshot()!.liveSeq).toBe(7);
    expect(reader.done).toBe(false);
    expect(reader.push(BODY.slice(cut))).toBe(1);
    expect(reader.done).toBe(true);
    expect(reader.snapshot()!.students.map(s => s.userId)).toEqual([
      'ada',
      'ben'
    ]);
  });

  it('reads a response whole when its body cannot be streamed', async () => {
    const response = {
      body: null,
      text: async () => BODY
    } as unknown as Response;
    const snapshot = await readCompact(response);
    expect(snapshot.students).toHaveLength(2);
    expect(snapshot.notebook).toBe('lab.ipynb');
    expect((snapshot as any).fields).toBeUndefined();
  });

  it('refuses an answer cut before its end', async () => {
    const response = {
      body: null,
      text: async () => BODY.slice(0, BODY.lastIndexOf(']}'))
    } as unknown as Response;
    await expect(readCompact(response)).rejects.toThrow('ended before');
  });

  it("keeps an assignment's head: its columns, own cells, presence and raised hands", async () => {
    const head = {
      ...HEAD,
      notebook: 'assignment:a1',
      assignment: { id: 'a1', course: 'cs101', title: 'Lab 1', version: 2 },
      columns: [
        {
          cellId: 'a',
          label: 'import pandas',
          source: 'import pandas as pd',
          cellType: 'code',
          position: 0
        }
      ],
      ownCells: { ada: { runs: 3, errors: 1 } },
      presence: {
        ada: {
          open: true,
          lastSeen: '2026-12-01T09:59:00+00:00',
          firstOpened: '2026-12-01T09:00:00+00:00',
          lastSaved: null
        }
      },
      help: {
        ada: { since: '2026-12-01T09:59:00+00:00', message: null, cellId: 'a' }
      }
    };
    const body =
      `${JSON.stringify(head).slice(0, -1)}, "pages": [\n` +
      `${JSON.stringify([ADA])}\n]}\n`;
    const snapshot = await readCompact({
      body: null,
      text: async () => body
    } as unknown as Response);
    expect(snapshot.assignment).toEqual(head.assignment);
    expect(snapshot.columns).toEqual(head.columns);
    expect(snapshot.ownCells).toEqual(head.ownCells);
    expect(snapshot.presence).toEqual(head.presence);
    expect((snapshot as any).help).toEqual(head.help);
    expect(snapshot.students.map(s => s.userId)).toEqual(['ada']);
  });
});
