/**
 * The titles and courses of the listed assignments, for the picker, asked of the server when
 * the list does not give them (`GET api/v1/assignments`).
 */
import type { NotebookList } from '../model/notebooks';
import type { DashboardClient } from './client';

/**
 * Learns the names of the assignments of a notebook list, asking once per assignment: a
 * server that cannot say (an older one, without the endpoint) leaves them listed by path.
 */
export class AssignmentNames {
  constructor(
    private readonly client: Pick<DashboardClient, 'assignments'>,
    private readonly list: NotebookList
  ) {}

  /** Ask for the names the list lacks; resolves with whether some were learnt. */
  async refresh(): Promise<boolean> {
    const wanted = this.list.unnamed().filter(id => !this._asked.has(id));
    if (wanted.length === 0 || this._pending) {
      return false;
    }
    wanted.forEach(id => this._asked.add(id));
    this._pending = true;
    try {
      const answer = await this.client.assignments();
      this.list.name(
        Array.isArray(answer?.assignments) ? answer.assignments : []
      );
      return true;
    } catch (reason) {
      console.warn(
        'progress-tracker: the titles of the assignments are unknown; they are listed by path.',
        reason
      );
      return false;
    } finally {
      this._pending = false;
    }
  }

  private _asked = new Set<string>();
  private _pending = false;
}
