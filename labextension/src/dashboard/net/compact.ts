/**
 * The compact snapshot (`GET api/v1/progress?form=compact`): decoding, and reading it page by
 * page as it arrives. Pure logic apart from the stream reader.
 *
 * The answer is one JSON document written line by line: its first line opens it with
 * everything but the students (`fields`, `cells`, the feed position ...), then each line is a
 * page of students (after a comma from the second on), then `]}`. A student's cells are arrays
 * `[column, ...values]`: `column` indexes `cells`, the values follow `fields`.
 */
import type {
  ICellProgress,
  IProgressSnapshot,
  IStudentProgress
} from '../types';

/** A student as the compact form carries it. */
export interface ICompactStudent {
  userId: string;
  lastActivity: string | null;
  currentCellId: string | null;
  cells: unknown[][];
}

/** The first line of the compact form: the snapshot without its students. */
export interface ICompactHead extends Omit<IProgressSnapshot, 'students'> {
  form: 'compact';
  fields: string[];
  studentCount: number;
}

/** A student of the compact form, in the shape of the full form. */
export function expandStudent(
  head: Pick<ICompactHead, 'cells' | 'fields'>,
  compact: ICompactStudent
): IStudentProgress {
  const cells: Record<string, ICellProgress> = {};
  for (const [column, ...values] of compact.cells) {
    const info = head.cells[column as number];
    if (!info) {
      continue;
    }
    const state: Record<string, unknown> = {};
    head.fields.forEach((field, index) => (state[field] = values[index]));
    cells[info.cellId] = state as unknown as ICellProgress;
  }
  return {
    userId: compact.userId,
    lastActivity: compact.lastActivity,
    currentCellId: compact.currentCellId,
    cells
  };
}

/**
 * Reads the compact form line by line: the head, then pages of students.
 *
 * Feed it text as it arrives ({@link push}); {@link snapshot} is what was read so far.
 */
export class CompactReader {
  /** The head, once its line arrived. */
  head: ICompactHead | null = null;
  /** Every student read so far, expanded. */
  readonly students: IStudentProgress[] = [];

  /** Take the next piece of text; returns how many pages it completed. */
  push(text: string): number {
    this._buffer += text;
    let pages = 0;
    let end: number;
    while ((end = this._buffer.indexOf('\n')) >= 0) {
      const line = this._buffer.slice(0, end);
      this._buffer = this._buffer.slice(end + 1);
      pages += this._line(line) ? 1 : 0;
    }
    return pages;
  }

  /** Whether the closing line arrived. */
  get done(): boolean {
    return this._done;
  }

  /** The snapshot as read so far (`null` before the head). */
  snapshot(): IProgressSnapshot | null {
    if (this.head === null) {
      return null;
    }
    const { form, fields, studentCount, ...rest } = this.head;
    void form;
    void fields;
    void studentCount;
    return { ...rest, students: this.students.slice() } as IProgressSnapshot;
  }

  private _line(line: string): boolean {
    if (this.head === null) {
      this.head = JSON.parse(`${line}]}`) as ICompactHead;
      return false;
    }
    const trimmed = line.startsWith(',') ? line.slice(1) : line;
    if (trimmed === ']}') {
      this._done = true;
      return false;
    }
    const page = JSON.parse(trimmed) as ICompactStudent[];
    for (const student of page) {
      this.students.push(expandStudent(this.head, student));
    }
    return true;
  }

  private _buffer = '';
  private _done = false;
}

/**
 * Read a compact snapshot from a response body as it arrives; `onPage` gets the snapshot read
 * so far after each page (the first screen is drawn before the rest has arrived).
 *
 * @throws Error when the answer ends before its last line
 */
export async function readCompact(
  response: Response,
  onPage?: (partial: IProgressSnapshot) => void
): Promise<IProgressSnapshot> {
  const reader = new CompactReader();
  const body = response.body;
  if (body && typeof body.getReader === 'function') {
    const stream = body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await stream.read();
      if (done) {
        break;
      }
      if (reader.push(decoder.decode(value, { stream: true })) > 0 && onPage) {
        onPage(reader.snapshot()!);
      }
    }
    reader.push(decoder.decode());
  } else {
    reader.push(await response.text());
  }
  const snapshot = reader.snapshot();
  if (!reader.done || snapshot === null) {
    throw new Error('The snapshot ended before its last line.');
  }
  return snapshot;
}
