/**
 * Who has the notebook open now, and when each student first opened it and last saved it,
 * kept up to date with live notebook events. Pure logic, no DOM.
 *
 * The rules (docs/assignments.md, "The dashboard"; the server applies them too): a student has it open when their latest
 * sign of life (opened, heartbeat or saved) is later than their latest close, and no older than
 * two heartbeat intervals (a browser that went away sends no close).
 */
import { isAfter, latest, parseTime } from './time';
import type { ILiveEvent, IPresence } from '../types';

/** The heartbeat interval the server asks for when it does not say, in seconds. */
export const DEFAULT_HEARTBEAT_SECONDS = 60;

/** The events that say something about presence. */
const ALIVE = new Set([
  'notebook_opened',
  'notebook_heartbeat',
  'notebook_saved'
]);

/**
 * Whether an event only says the notebook is open (a heartbeat): it is no activity, so a student
 * who keeps it open and does nothing still shows as idle.
 */
export function isPresenceOnly(event: Pick<ILiveEvent, 'eventType'>): boolean {
  return event.eventType === 'notebook_heartbeat';
}

interface IRecord {
  lastSeen: string | null;
  lastClosed: string | null;
  firstOpened: string | null;
  lastSaved: string | null;
  /** The snapshot said open without saying when it last heard from the student. */
  openUnknownSince: boolean;
}

/** A student's presence as shown. */
export interface IPresenceView {
  open: boolean;
  firstOpened: string | null;
  lastSaved: string | null;
}

/**
 * The presence of a grid's students.
 */
export class PresenceBook {
  /** Two heartbeats without a sign of life and a student no longer counts as there. */
  get heartbeatMs(): number {
    return this._heartbeatMs;
  }

  /** Take the heartbeat interval from the server's settings (`heartbeatSeconds`). */
  setHeartbeat(settings: unknown): void {
    const seconds = (settings as { heartbeatSeconds?: unknown } | null)
      ?.heartbeatSeconds;
    if (
      typeof seconds === 'number' &&
      Number.isFinite(seconds) &&
      seconds > 0
    ) {
      this._heartbeatMs = seconds * 1000;
    }
  }

  /** Start over from a snapshot's `presence`. */
  load(presence: Record<string, IPresence> | undefined): void {
    this._records.clear();
    for (const [userId, p] of Object.entries(presence ?? {})) {
      if (!p || typeof p !== 'object') {
        continue;
      }
      const lastSeen = p.lastSeen ?? null;
      this._records.set(userId, {
        lastSeen,
        // Closed at the snapshot: only a later sign of life opens it again.
        lastClosed: p.open ? null : lastSeen,
        firstOpened: p.firstOpened ?? null,
        lastSaved: p.lastSaved ?? null,
        openUnknownSince: !!p.open && lastSeen === null
      });
    }
  }

  /**
   * Fold in a live event of the grid.
   *
   * @returns whether it was a notebook event (the student's presence may have changed)
   */
  apply(
    event: Pick<ILiveEvent, 'eventType' | 'eventTime' | 'userId'>
  ): boolean {
    const type = event.eventType;
    if (!ALIVE.has(type) && type !== 'notebook_closed') {
      return false;
    }
    let record = this._records.get(event.userId);
    if (!record) {
      record = {
        lastSeen: null,
        lastClosed: null,
        firstOpened: null,
        lastSaved: null,
        openUnknownSince: false
      };
      this._records.set(event.userId, record);
    }
    const time = event.eventTime;
    if (type === 'notebook_closed') {
      record.lastClosed = latest(record.lastClosed, time);
      record.openUnknownSince = false;
      return true;
    }
    record.lastSeen = latest(record.lastSeen, time);
    if (type === 'notebook_opened') {
      const first = parseTime(record.firstOpened);
      const at = parseTime(time);
      if (first === null || (at !== null && at < first)) {
        record.firstOpened = time;
      }
    }
    if (type === 'notebook_saved') {
      record.lastSaved = latest(record.lastSaved, time);
    }
    return true;
  }

  /** A student's presence at `now` (ms), `undefined` when nothing is known. */
  view(userId: string, now: number): IPresenceView | undefined {
    const record = this._records.get(userId);
    if (!record) {
      return undefined;
    }
    return {
      open: this._isOpen(record, now),
      firstOpened: record.firstOpened,
      lastSaved: record.lastSaved
    };
  }

  private _isOpen(record: IRecord, now: number): boolean {
    if (record.openUnknownSince) {
      return true;
    }
    const seen = parseTime(record.lastSeen);
    if (seen === null || now - seen > 2 * this._heartbeatMs) {
      return false;
    }
    return (
      record.lastClosed === null || isAfter(record.lastSeen, record.lastClosed)
    );
  }

  private _records = new Map<string, IRecord>();
  private _heartbeatMs = DEFAULT_HEARTBEAT_SECONDS * 1000;
}
