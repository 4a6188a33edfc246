/**
 * The details of a grid cell in a tooltip, on hover and on keyboard focus: the cell's
 * `aria-label` (what a screen reader announces), one fact a line.
 */

/** Show `tooltip` for the cells of `grid` that are hovered or focused. */
export function attachCellTips(grid: HTMLElement, tooltip: HTMLElement): void {
  const hide = () => (tooltip.style.display = 'none');
  const show = (target: EventTarget | null, x: number, y: number) => {
    const cell = target as HTMLElement | null;
    const details = cell?.classList?.contains('pt-grid-cell')
      ? cell.getAttribute('aria-label')
      : null;
    if (!details) {
      hide();
      return;
    }
    if (!tooltip.isConnected) {
      document.body.appendChild(tooltip);
    }
    tooltip.textContent = details.split('; ').join('\n');
    tooltip.style.display = '';
    tooltip.style.left = `${x}px`;
    tooltip.style.top = `${y}px`;
  };
  grid.addEventListener('mousemove', ev =>
    show(ev.target, ev.clientX + 12, ev.clientY + 12)
  );
  grid.addEventListener('mouseleave', hide);
  // Only cells: a focused column header shows its own description (views/gridheader.ts).
  const isCell = (target: EventTarget | null) =>
    !!(target as HTMLElement | null)?.classList?.contains('pt-grid-cell');
  grid.addEventListener('focusin', ev => {
    if (isCell(ev.target)) {
      const box = (ev.target as HTMLElement).getBoundingClientRect();
      show(ev.target, box.right + 8, box.bottom + 4);
    }
  });
  grid.addEventListener('focusout', ev => {
    if (isCell(ev.target)) {
      hide();
    }
  });
}
