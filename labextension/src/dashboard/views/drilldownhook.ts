/**
 * Where the drill-down opens: a column header or an error group of the dashboard sends
 * {@link OPEN_CELL_EVENT}; the cell is looked up in the model's columns and the selection shown.
 */
import type { Texts } from '../model/format';
import type { ProgressModel } from '../model/state';
import type { DashboardClient } from '../net/client';
import { DrilldownPanel } from './drilldown';
import { IOpenCellDetail, OPEN_CELL_EVENT } from './drilldownevent';

/** A drill-down panel in `root`, opened on the cells `root`'s views ask for. */
export function openDrilldowns(
  root: HTMLElement,
  texts: Texts,
  client: Pick<DashboardClient, 'cellLatest'>,
  model: ProgressModel
): DrilldownPanel {
  const panel = new DrilldownPanel(texts, client);
  root.appendChild(panel.node);
  root.addEventListener(OPEN_CELL_EVENT, ev => {
    const { cellId, group } = (ev as CustomEvent<IOpenCellDetail>).detail;
    const selection = model.selection;
    if (!selection) {
      return;
    }
    const cell = model.cells.find(c => c.cellId === cellId) ?? {
      cellId,
      cellIndex: null,
      cellType: null
    };
    void panel.open({ selection, cell, group });
  });
  return panel;
}
