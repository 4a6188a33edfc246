/**
 * Shapes of the progress-tracker HTTP and WebSocket API (see docs/api.md).
 */

/**
 * Outcome of a student's latest run of a cell, or `running` while a run started after the
 * latest result has not finished.
 */
export type CellStatus = 'succeeded' | 'failed' | 'running';

/** `GET api/v1/me`. */
export interface IMe {
  userId: string;
  isInstructor: boolean;
  mode: 'embedded' | 'collector' | 'forwarder';
}

/** One notebook of the class, as listed in the progress snapshot. */
export interface INotebookSummary {
  path: string;
  students: number;
  executions: number;
  lastActivity: string | null;
}

/** A cell of the selected notebook. */
export interface ICellInfo {
  cellId: string;
  cellIndex: number | null;
  cellType: string | null;
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

/** `GET api/v1/progress[?notebook=PATH]`. */
export interface IProgressSnapshot {
  notebooks: INotebookSummary[];
  notebook: string | null;
  cells: ICellInfo[];
  students: IStudentProgress[];
  lastEventId: string | null;
  /** The live feed's identity when the snapshot was read (see {@link IFeedPosition}). */
  liveFeed: string;
  /** The feed's last message number then: everything up to it is in the snapshot. */
  liveSeq: number;
  generatedAt: string;
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
  errorMessage?: string | null;
  result?: string | null;
  executionDurationMs?: number | null;
  metadata?: Record<string, unknown> | null;
  receivedAt?: string | null;
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
  | { type: 'resync'; reason?: string };

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
}

/** `GET api/v1/pace?notebook=PATH`. */
export interface IPaceResponse {
  bucketSeconds: number;
  series: IPacePoint[];
}
