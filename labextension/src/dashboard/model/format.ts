/**
 * Texts shown in the dashboard. Pure logic, no DOM.
 */
import { HelpReason } from './help';
import { ICellInfo, ICellProgress, IErrorGroup } from '../types';
import { formatDuration } from './time';

/** The label of a cell: its 1-based position in the notebook, e.g. "[3]", or "[?]". */
export function cellLabel(
  cell: Pick<ICellInfo, 'cellIndex'> | undefined
): string {
  return cell && typeof cell.cellIndex === 'number'
    ? `[${cell.cellIndex + 1}]`
    : '[?]';
}

/** "1 student" / "14 students". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line of the grouped errors, e.g. "KeyError: 'price' — 14 students". */
export function errorGroupLabel(
  group: Pick<IErrorGroup, 'errorMessage' | 'students'>
): string {
  return `${firstLine(group.errorMessage) || '(no message)'} — ${plural(group.students, 'student')}`;
}

/** The first line of a text, for one-line displays. */
export function firstLine(text: string | null | undefined): string {
  if (!text) {
    return '';
  }
  const index = text.indexOf('\n');
  return index < 0 ? text : text.slice(0, index);
}

/** A reason a student needs help, e.g. "4 errors on [3]" or "idle 12 min". */
export function reasonLabel(
  reason: HelpReason,
  cells: readonly ICellInfo[]
): string {
  if (reason.kind === 'errors') {
    const cell = cells.find(c => c.cellId === reason.cellId);
    return `${plural(reason.errors, 'error')} on ${cellLabel(cell)}`;
  }
  return `idle ${formatDuration(reason.idleMs)}`;
}

/** The hover text of one grid cell. */
export function cellTooltip(
  userId: string,
  cell: ICellInfo,
  progress: ICellProgress | undefined
): string {
  const lines = [`${userId} · cell ${cellLabel(cell)}`];
  if (!progress) {
    lines.push('not run');
    return lines.join('\n');
  }
  const running = progress.status === 'running';
  const status = running
    ? 'running'
    : progress.status === 'failed'
      ? 'failed'
      : 'succeeded';
  const attempts =
    running && progress.attempts === 0
      ? 'first run'
      : plural(progress.attempts, 'attempt');
  lines.push(
    `${status} · ${attempts}` +
      (progress.errors ? ` · ${plural(progress.errors, 'error')}` : '')
  );
  if (progress.lastError) {
    lines.push(`last error: ${progress.lastError}`);
  }
  if (progress.lastActivity) {
    lines.push(
      `${running ? 'started' : 'last run'}: ${clockTime(progress.lastActivity)}`
    );
  }
  return lines.join('\n');
}

/** The local wall-clock time of an ISO time, e.g. "10:42:07". */
export function clockTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A file name for an export of `notebook`, e.g. "progress-lab1.csv". */
export function exportFileName(notebook: string | null): string {
  const base = (notebook ?? 'all').split('/').pop() ?? 'all';
  const stem =
    base.replace(/\.ipynb$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') ||
    'notebook';
  return `progress-${stem}.csv`;
}
