/**
 * DOM building with textContent only: data is never parsed as HTML (the pages' CSP forbids inline script as well,
 * docs/adr/0004-web-ui.md).
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export type Attributes = Record<string, string | number | boolean | null | undefined | Handler>;

function append(el: Node, child: Child): void {
  if (child === undefined || child === null || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(el, c);
    return;
  }
  el.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)));
}

/** h('p', { class: 'x' }, 'text', child): an element; strings become text nodes, `on…` functions listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attributes | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    } else if (key === 'text') el.textContent = String(value);
    else if (key === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else if ((key === 'checked' || key === 'selected' || key === 'disabled') && key in el) (el as unknown as Record<string, boolean>)[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) append(el, child);
  return el;
}

/** Replaces the content of an element (or the element with this id). */
export function fill(target: string | Element | null, content: Child): Element | null {
  const el = typeof target === 'string' ? document.getElementById(target) : target;
  if (!el) return null;
  el.replaceChildren();
  append(el, content);
  return el;
}

/** The element with this id, of the expected kind; throws when the page shell lacks it (a bug, not bad data). */
export function byId<T extends HTMLElement = HTMLElement>(id: string, kind?: new () => T): T {
  const el = document.getElementById(id);
  if (!el || (kind && !(el instanceof kind))) throw new Error(`The page has no ${kind ? kind.name : 'element'} #${id}`);
  return el as T;
}

/** The status line under the heading: a message, marked as an error or not. */
export function showStatus(message: string, isError = false): void {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = message;
  el.classList.toggle('error', isError);
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
}

/** A table that becomes labelled cards on narrow screens. */
export function table<T>(columns: Column<T>[], rows: readonly T[], empty = 'Nothing yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted', text: empty });
  return h(
    'table',
    { class: 'responsive' },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', text: c.label })))),
    h('tbody', null, rows.map((row) => h('tr', null, columns.map((c) => h('td', { 'data-label': c.label }, c.cell(row)))))),
  );
}

/** A definition list of [term, value] pairs; empty values show "—". */
export function facts(pairs: ([string, Child] | null | false)[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter((p): p is [string, Child] => Boolean(p)).map(([term, value]) => [h('dt', { text: term }), h('dd', null, value === null || value === undefined || value === '' ? '—' : value)]),
  );
}

/** The error list below a form: one item per line (clears it when there are none). */
export function fillErrors(listId: string, lines: readonly string[]): void {
  fill(listId, lines.map((line) => h('li', { text: line })));
}
