/**
 * Run durations measured in the browser, for kernels whose timing is not recorded.
 */

/**
 * Measures how long each cell ran, from when JupyterLab scheduled it to when
 * it reported it done.
 *
 * A kernel runs one cell at a time, so in a burst ("run all") a cell starts
 * when the previous one of its notebook finished, not when it was scheduled:
 * the queueing time is not counted.
 */
export class RunStopwatch<TNotebook extends object = object> {
  private readonly notebooks = new WeakMap<
    TNotebook,
    { scheduled: Map<string, number>; lastFinished: number | null }
  >();

  private stateOf(notebook: TNotebook) {
    let state = this.notebooks.get(notebook);
    if (!state) {
      state = { scheduled: new Map(), lastFinished: null };
      this.notebooks.set(notebook, state);
    }
    return state;
  }

  /**
   * Record that a cell was sent to the kernel.
   *
   * @param notebook - the notebook the cell belongs to
   * @param cellId - the cell's id
   * @param at - the time, in ms
   */
  scheduled(notebook: TNotebook, cellId: string, at: number): void {
    this.stateOf(notebook).scheduled.set(cellId, at);
  }

  /**
   * Record that a cell's run finished and return how long it ran in ms, or
   * `null` if its scheduling was not seen.
   */
  finished(notebook: TNotebook, cellId: string, at: number): number | null {
    const state = this.stateOf(notebook);
    const scheduledAt = state.scheduled.get(cellId);
    if (scheduledAt === undefined) {
      return null;
    }
    state.scheduled.delete(cellId);
    const start =
      state.lastFinished !== null && state.lastFinished > scheduledAt
        ? state.lastFinished
        : scheduledAt;
    state.lastFinished = at;
    return Math.max(0, at - start);
  }
}
