/**
 * The help queue's list, updated line by line (keyed by entry): a line whose content did not
 * change keeps its DOM node, a ticking waiting time changes only its text node, a changed line
 * is patched (its buttons that remain are the same nodes), and only lines that came, left or
 * moved are inserted, removed or moved. Rebuilding the whole list would detach a button that
 * is being clicked and make a screen reader announce the `aria-live` list again.
 */

/** A line the list should show. */
export interface IWantedLine {
  /** Identifies the line across updates, e.g. `hand:12` or `user:ada`. */
  key: string;
  /** Everything the line shows except its waiting time: another value, the line changed. */
  content: string;
  /** The text of the line's `.pt-help-wait` element, updated in place. */
  wait?: string;
  /** Make the line's node. */
  build: () => HTMLElement;
}

interface ILine {
  node: HTMLElement;
  content: string;
}

/** The lines of one list element. */
export class KeyedLines {
  constructor(private readonly list: HTMLElement) {}

  /** Show `wanted`, in this order. */
  update(wanted: readonly IWantedLine[]): void {
    const lines = new Map<string, ILine>();
    let cursor: ChildNode | null = this.list.firstChild;
    for (const want of wanted) {
      let line = this._lines.get(want.key);
      if (!line) {
        line = { node: want.build(), content: want.content };
      } else if (line.content !== want.content) {
        patchLine(line.node, want.build());
        line.content = want.content;
      }
      if (want.wait !== undefined) {
        setWait(line.node, want.wait);
      }
      if (line.node === cursor) {
        cursor = cursor.nextSibling;
      } else {
        // Moves only this line: the lines from `cursor` on are still to be placed.
        this.list.insertBefore(line.node, cursor);
      }
      lines.set(want.key, line);
    }
    for (const [key, line] of this._lines) {
      if (!lines.has(key)) {
        line.node.remove();
      }
    }
    this._lines = lines;
  }

  private _lines = new Map<string, ILine>();
}

/** Set the text of a line's waiting time, changing its text node only. */
function setWait(line: HTMLElement, text: string): void {
  const wait = line.querySelector('.pt-help-wait');
  if (!wait) {
    return;
  }
  const node = wait.firstChild;
  if (node instanceof Text && wait.childNodes.length === 1) {
    if (node.data !== text) {
      node.data = text;
    }
  } else {
    wait.textContent = text;
  }
}

/**
 * Make `old` show what `fresh` shows. Its buttons (the student's name, Claim, Resolve) that
 * `fresh` also has stay the same nodes, so neither a click nor the focus is lost; the rest of
 * its parts are replaced by `fresh`'s.
 */
export function patchLine(old: HTMLElement, fresh: HTMLElement): void {
  old.className = fresh.className;
  for (const key of Object.keys(old.dataset)) {
    if (!(key in fresh.dataset)) {
      delete old.dataset[key];
    }
  }
  Object.assign(old.dataset, fresh.dataset);
  keepSame(old, [...fresh.children] as HTMLElement[]);
}

/** Give a kept button the text and attributes of its fresh twin (the names may be hidden). */
function relabel(button: HTMLElement, fresh: HTMLElement): void {
  if (button.textContent !== fresh.textContent) {
    button.textContent = fresh.textContent;
  }
  for (const { name, value } of [...fresh.attributes]) {
    if (button.getAttribute(name) !== value) {
      button.setAttribute(name, value);
    }
  }
}

/** Make `parent`'s children `wanted`, keeping each button or button holder of the same class. */
function keepSame(parent: HTMLElement, wanted: HTMLElement[]): void {
  const kept = new Set<Element>();
  let cursor: Element | null = parent.firstElementChild;
  for (const fresh of wanted) {
    const same = [...parent.children].find(
      child =>
        !kept.has(child) &&
        child.tagName === fresh.tagName &&
        child.className === fresh.className
    ) as HTMLElement | undefined;
    let node: HTMLElement = fresh;
    if (same && fresh.tagName === 'BUTTON') {
      relabel(same, fresh); // same action, same entry: its handler reads only the id
      node = same;
    } else if (same && fresh.querySelector('button')) {
      keepSame(same, [...fresh.children] as HTMLElement[]);
      node = same;
    }
    kept.add(node);
    if (node === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  for (const child of [...parent.children]) {
    if (!kept.has(child)) {
      child.remove();
    }
  }
}
