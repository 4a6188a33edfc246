/**
 * Shapes of the progress-tracker HTTP and WebSocket API (see docs/api.md).
 */

/**
 * Outcome of a student's latest run of a cell, or `running` while a run started after the
 * latest result has not finished. `interrupted`: the student interrupted the kernel; neither
 * a success nor a failure, never an error.
 */
export type CellStatus = 'succeeded' | 'failed' | 'running' | 'interrupted';

/** A course the user belongs to (`GET api/v1/courses`, and `courses` of `api/v1/me`). */
export interface ICourse {
  id: string;
  title?: string | null;
  role: 'instructor' | 'ta' | 'student' | string;
  sections?: string[];
}

/** `GET api/v1/me`. */
export interface IMe {
  userId: string;
  isInstructor: boolean;
  mode: 'embedded' | 'collector' | 'forwarder';
  /** The user's courses (servers from before courses send none). */
  courses?: ICourse[];
}

/**
 * One entry of the dashboard's notebook picker, as listed in the progress snapshot: a published
 * assignment (by its id) or a notebook never published (by its path).
 */
export interface INotebookSummary {
  path: string;
  students: number;
  executions: number;
  lastActivity: string | null;
  /** `assignment:<id>` or the path (servers from before assignments send none). */
  key?: string;
  /** The assignment's id, `null` for an unpublished notebook. */
  assignmentId?: string | null;
  /** The assignment's title and course, when the server lists them. */
  title?: string | null;
  course?: string | null;
}

/** A cell of the selected notebook: a column of the grid. */
export interface ICellInfo {
  cellId: string;
  cellIndex: number | null;
  cellType: string | null;
  /** A short label (a published cell's heading or first line). */
  label?: string | null;
  /** The cell's source, shown on hover and focus. */
  source?: string | null;
}

/** A column of the snapshot: a published cell, or a cell derived from the runs. */
export interface IColumn {
  cellId: string;
  label: string | null;
  source: string | null;
  cellType: string | null;
  position: number | null;
}

/** The assignment a snapshot is about. */
export interface IAssignmentInfo {
  id: string;
  course: string;
  title: string;
  version: number;
}

/** What a student ran in cells they added themselves (never class columns). */
export interface IOwnCells {
  runs: number;
  errors: number;
}

/** Whether a student has the notebook open, and when they opened and saved it. */
export interface IPresence {
  open: boolean;
  lastSeen: string | null;
  firstOpened: string | null;
  lastSaved: string | null;
}

/** What one student did with one cell. */
export interface ICellProgress {
  status: CellStatus;
  /** Finished runs (a run still going is not counted yet). */
  attempts: number;
  errors: number;
  lastError: string | null;
  /** When the latest run finished or, while `running`, when the running one started. */
  lastActivity: string | null;
  executionCount: number | null;
}

/** One student's progress through the selected notebook. */
export interface IStudentProgress {
  userId: string;
  lastActivity: string | null;
  currentCellId: string | null;
  cells: Record<string, ICellProgress>;
}

/** `GET api/v1/progress[?notebook=PATH | ?assignment=ID]`. */
export interface IProgressSnapshot {
  notebooks: INotebookSummary[];
  notebook: string | null;
  cells: ICellInfo[];
  students: IStudentProgress[];
  /** The assignment shown, `null` for an unpublished notebook (absent from older servers). */
  assignment?: IAssignmentInfo | null;
  /** The grid's columns in order: for an assignment, all its published cells. */
  columns?: IColumn[];
  /** Per student, their own cells' runs and errors. */
  ownCells?: Record<string, IOwnCells>;
  /** Per student, whether they have it open, first opened and last saved. */
  presence?: Record<string, IPresence>;
  lastEventId: string | null;
  /** The live feed's identity when the snapshot was read (see {@link IFeedPosition}). */
  liveFeed: string;
  /** The feed's last message number then: everything up to it is in the snapshot. */
  liveSeq: number;
  generatedAt: string;
}

/** One assignment of `GET api/v1/assignments`. */
export interface IAssignmentSummary {
  assignmentId: string;
  course: string;
  title: string;
  path: string;
  cells: number;
  students: number;
  lastActivity: string | null;
}

/** `GET api/v1/assignments[?course=]`. */
export interface IAssignmentsResponse {
  assignments: IAssignmentSummary[];
}

/** An event as the server sends it on the WebSocket and in `api/v1/executions`. */
export interface ILiveEvent {
  eventId: string;
  eventType: string;
  eventTime: string;
  userId: string;
  notebookPath: string;
  cellId?: string | null;
  cellIndex?: number | null;
  cellType?: string | null;
  code?: string | null;
  executionCount?: number | null;
  hasError?: boolean;
  /** The student interrupted the run (KeyboardInterrupt): no error. */
  interrupted?: boolean;
  errorMessage?: string | null;
  result?: string | null;
  executionDurationMs?: number | null;
  metadata?: Record<string, unknown> | null;
  /** A `kernel_status` event's status (restarting, dead, shutdown, started). */
  kernelStatus?: string | null;
  receivedAt?: string | null;
  /** The assignment the event is about, if its notebook was published. */
  assignmentId?: string | null;
  /** nbgrader's `grade_id` of the cell. */
  gradeId?: string | null;
  course?: string | null;
}

/**
 * Where a dashboard is in the live feed: the feed's identity (new when the server restarted or
 * lost the feed) and the number of the last message it has.
 */
export interface IFeedPosition {
  feed: string;
  seq: number;
}

/** A message from the server on `api/v1/ws`. */
export type WsMessage =
  | {
      type: 'events';
      seq: number;
      /** On a subscribed socket: the number of the message (or caught_up) sent before. */
      prev?: number;
      events: ILiveEvent[];
    }
  | { type: 'caught_up'; feed: string; seq: number }
  | { type: 'resync'; reason?: string }
  /** A help queue entry of the caller's scope changed (not numbered). */
  | { type: 'help'; entry: unknown };

/** `GET api/v1/executions`. */
export interface IExecutionsResponse {
  executions: ILiveEvent[];
}

/** One distinct error of a cell. */
export interface IErrorGroup {
  errorMessage: string;
  students: number;
  occurrences: number;
  exampleCode: string | null;
  exampleUser: string | null;
  lastSeen: string | null;
  /** Who has this error as their latest run of the cell now (newer servers). */
  studentsNow?: string[];
}

/** The distinct errors of one cell. */
export interface ICellErrors {
  cellId: string;
  cellIndex: number | null;
  errors: IErrorGroup[];
}

/** `GET api/v1/errors?notebook=PATH`. */
export interface IErrorsResponse {
  cells: ICellErrors[];
}

/** One time bucket of the class pace. */
export interface IPacePoint {
  time: string;
  executions: number;
  errors: number;
  activeStudents: number;
  cellsCompletedMedian: number;
  /** The lower and upper quartiles of cells completed (absent from older servers). */
  cellsCompletedQ1?: number;
  cellsCompletedQ3?: number;
}

/** `GET api/v1/pace?notebook=PATH`. */
export interface IPaceResponse {
  bucketSeconds: number;
  series: IPacePoint[];
}
