/**
 * Errors shown where they are: each field error of a problem goes next to the control it is about, in words, with
 * `aria-invalid` and `aria-describedby` set, and focus moves to the first one. Errors that name no control of the
 * form (or the whole request) go to the form's summary list. The mapping from a problem to lines is pure
 * (`placeFieldErrors`, unit-tested); `showFieldErrors` only touches the DOM.
 */
import type { Problem } from '../api-types.ts';
import { fillErrors, h } from './dom.ts';

export interface PlacedErrors {
  /** Control name → the sentences shown under it. */
  byField: Record<string, string[]>;
  /** Lines for the summary list: errors that name no control of the form. */
  unplaced: string[];
}

/** "Invalid email address" → "Invalid email address."; a zod "Required" becomes "This field is required." */
export function sentenceOf(message: string): string {
  const text = message.trim();
  if (/^required$/i.test(text) || /received undefined/i.test(text)) return 'This field is required.';
  if (!text) return 'This value is not accepted.';
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * Places a problem's errors on the form's controls. A path matches a control when it is the control's name or
 * starts with it followed by "." or "[" (so "conditions[0].dueDate" lands on "conditions[0].dueDate" first and on
 * "conditions" otherwise). `aliases` maps an API path to the control's name when they differ; `labels` names the
 * field in summary lines.
 */
export function placeFieldErrors(
  problem: Problem | null | undefined,
  controlNames: readonly string[],
  options: { aliases?: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>> } = {},
): PlacedErrors {
  const byField: Record<string, string[]> = {};
  const unplaced: string[] = [];
  const names = [...controlNames].sort((a, b) => b.length - a.length);
  for (const error of problem?.errors ?? []) {
    const path = Object.hasOwn(options.aliases ?? {}, error.path) ? (options.aliases ?? {})[error.path]! : error.path;
    const target = names.find((n) => path === n || path.startsWith(`${n}.`) || path.startsWith(`${n}[`));
    const sentence = sentenceOf(error.message);
    // A value can fail two checks with the same message (a date's pattern and its calendar check): say it once.
    if (target) {
      const lines = (byField[target] ??= []);
      if (!lines.includes(sentence)) lines.push(sentence);
    } else {
      const name = Object.hasOwn(options.labels ?? {}, error.path) ? (options.labels ?? {})[error.path] : undefined;
      const line = name ? `${name}: ${sentence}` : error.path && error.path !== '(body)' ? `${error.path}: ${sentence}` : sentence;
      if (!unplaced.includes(line)) unplaced.push(line);
    }
  }
  return { byField, unplaced };
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controlsOf(form: HTMLFormElement): Control[] {
  return Array.from(form.elements).filter((el): el is Control => (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && Boolean(el.name));
}

/** Removes every field error of the form (and empties its summary list when given). */
export function clearFieldErrors(form: HTMLFormElement, summaryListId?: string): void {
  for (const el of Array.from(form.querySelectorAll('.field-error'))) el.remove();
  for (const control of controlsOf(form)) {
    control.removeAttribute('aria-invalid');
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-field-error'));
    if (described.length) control.setAttribute('aria-describedby', described.join(' '));
    else control.removeAttribute('aria-describedby');
  }
  if (summaryListId) fillErrors(summaryListId, []);
}

/**
 * Shows a problem's field errors next to their controls and the rest in the summary list; focuses the first
 * invalid control (or the summary when none matched). Returns true when at least one error was shown.
 */
export function showFieldErrors(
  form: HTMLFormElement,
  problem: Problem | null | undefined,
  options: { summaryListId?: string; aliases?: Readonly<Record<string, string>>; labels?: Readonly<Record<string, string>> } = {},
): boolean {
  clearFieldErrors(form, options.summaryListId);
  const controls = controlsOf(form);
  const placed = placeFieldErrors(problem, [...new Set(controls.map((c) => c.name))], options);
  let first: Control | null = null;
  for (const [name, sentences] of Object.entries(placed.byField)) {
    const group = controls.filter((c) => c.name === name);
    const anchor = group[group.length - 1];
    if (!anchor) continue;
    const id = `${(group[0]!.id || `${form.id || 'form'}-${name}`).replace(/[^\w-]/g, '-')}-field-error`;
    const message = h('p', { class: 'field-error', id, role: 'alert', text: sentences.join(' ') });
    const container = anchor.closest('fieldset') ?? anchor.closest('.field') ?? anchor;
    if (container === anchor) anchor.insertAdjacentElement('afterend', message);
    else container.appendChild(message);
    for (const c of group) {
      c.setAttribute('aria-invalid', 'true');
      c.setAttribute('aria-describedby', [c.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    }
    if (!first || controls.indexOf(group[0]!) < controls.indexOf(first)) first = group[0]!;
  }
  if (options.summaryListId) fillErrors(options.summaryListId, placed.unplaced);
  if (first) {
    first.focus();
    first.scrollIntoView({ block: 'center' });
  } else if (options.summaryListId && placed.unplaced.length) {
    document.getElementById(options.summaryListId)?.scrollIntoView({ block: 'center' });
  }
  return Object.keys(placed.byField).length + placed.unplaced.length > 0;
}

/** Shows one error next to a control by hand (client-side checks before a request), with the same markup. */
export function showErrorAt(form: HTMLFormElement, name: string, message: string, summaryListId?: string): void {
  showFieldErrors(form, { type: 'about:blank', title: message, status: 400, code: 'validation-failed', errors: [{ path: name, message }] }, summaryListId ? { summaryListId } : {});
}
