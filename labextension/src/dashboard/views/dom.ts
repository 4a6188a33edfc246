/**
 * A tiny element builder that only ever writes text, never markup: everything a student typed
 * (code, error messages, user names, notebook paths) stays inert.
 */

/** Options of {@link el}. */
export interface IElOptions {
  /** CSS classes, space separated. */
  className?: string;
  /** Text content (set with `textContent`). */
  text?: string;
  /** The native tooltip (set with the `title` property). */
  title?: string;
  /** Attributes, set with `setAttribute` (values are never parsed as markup). */
  attrs?: Record<string, string>;
}

/**
 * Create an element with text and children.
 *
 * @example el('li', { className: 'pt-item', text: userId })
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: IElOptions = {},
  children: ReadonlyArray<Node | null | undefined> = []
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined) {
    node.textContent = options.text;
  }
  if (options.title !== undefined) {
    node.title = options.title;
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child) {
      node.appendChild(child);
    }
  }
  return node;
}

/** Remove every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
}
