/**
 * The scope-fit panel (issue 18, item 3): what procurement recorded that we buy against what the current report
 * covers, each service and required category matched or not with its page, the verdict, and security's override.
 */
import type { ScopeFit } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, facts, h, table, type Child } from '../common/dom.ts';
import { formatDateTime, label } from '../common/format.ts';
import { pageButton } from './pdf-link.ts';
import { say, submitForm } from './review-forms.ts';
import type { PanelContext } from './score-panel.ts';
import { formValues, textOf } from './staff-common.ts';

const VERDICT_CLASS: Readonly<Record<ScopeFit['verdict'], string>> = { fit: 'rating-low', partial: 'rating-medium', mismatch: 'rating-high', 'not-assessed': '' };
const STATUS_TEXT: Readonly<Record<ScopeFit['services'][number]['status'], string>> = {
  covered: 'Covered',
  'carved-out': 'Carved out (not covered)',
  'not-covered': 'Not covered',
  unclear: 'Unclear',
};

function cited(ctx: PanelContext, fit: ScopeFit, citation: ScopeFit['systemCitation']): Child {
  if (!citation || !fit.documentId || !fit.fileName) return null;
  return h(
    'span',
    { class: 'citation' },
    citation.quote ? h('q', { class: 'muted', text: citation.quote }) : null,
    citation.page ? [' ', pageButton(ctx.assessmentId, { documentId: fit.documentId, fileName: fit.fileName, page: citation.page }, ctx.onError)] : null,
  );
}

/** The panel's content (null: not scored yet). */
export function renderScopeFit(ctx: PanelContext, fit: ScopeFit | null): Child {
  if (!fit) return h('p', { class: 'muted', text: 'Not assessed yet: the scope fit is computed with the score, once the evidence is analyzed.' });
  const override = fit.override;
  return [
    h(
      'p',
      { class: 'score-line' },
      'Verdict ',
      h('span', { class: `badge ${VERDICT_CLASS[fit.verdict]}`.trim(), id: 'scope-verdict', text: label(fit.verdict) }),
      override ? h('span', { class: 'muted', text: ` (set by security; computed ${label(fit.computedVerdict)})` }) : null,
    ),
    h('p', { text: fit.reason }),
    override ? h('p', { class: 'override-note' }, `Set to ${label(override.verdict)} by ${override.actor}, ${formatDateTime(override.at)}: `, h('q', { text: override.reason })) : null,
    fit.lapsedOverride ? h('p', { class: 'muted', text: 'An override given for an earlier report no longer applies to the current one.' }) : null,
    facts([
      ['Report', fit.fileName],
      ['System the report covers', fit.systemName ? h('span', null, fit.systemName, ' ', cited(ctx, fit, fit.systemCitation)) : 'not stated in the report'],
      ['Data we share', `${label(fit.dataShared.dataClassification)}${fit.dataShared.dataTypes.length ? `: ${fit.dataShared.dataTypes.map(label).join(', ')}` : ''}`],
    ]),
    h('h3', { text: 'What we buy' }),
    table(
      [
        { label: 'Service', cell: (s) => s.service },
        { label: 'In the report', cell: (s) => h('span', { class: `badge ${s.status === 'covered' ? 'rating-low' : s.status === 'unclear' ? 'rating-medium' : 'rating-high'}`, text: STATUS_TEXT[s.status] }) },
        { label: 'Why', cell: (s) => h('div', null, s.explanation, s.comparedWith ? h('div', { class: 'muted', text: `Compared with: ${s.comparedWith}` }) : null) },
        { label: 'Where', cell: (s) => cited(ctx, fit, s.citation) ?? '—' },
      ],
      fit.services,
      'Procurement recorded no services for this vendor: record them on the vendor to compare them with the report.',
    ),
    h('h3', { text: 'Categories our policy requires' }),
    table(
      [
        { label: 'Category', cell: (c) => label(c.category) },
        { label: 'Required for', cell: (c) => c.requiredFor },
        { label: 'In scope', cell: (c) => h('span', { class: `badge ${c.covered ? 'rating-low' : 'rating-high'}`, text: c.covered ? 'Yes' : 'No' }) },
        { label: 'Where', cell: (c) => cited(ctx, fit, c.citation) ?? '—' },
      ],
      fit.categories,
      'No report to compare with.',
    ),
  ];
}

/** Shows the override form to security when there is a report to compare with; wires it once. */
export function showScopeOverride(ctx: PanelContext, fit: ScopeFit | null, open: boolean): void {
  byId('scope-override-area').hidden = !(ctx.reviewer && open && fit !== null && fit.documentId !== null);
}

export function wireScopeOverride(ctx: PanelContext, reload: () => void): void {
  const form = byId('scope-override-form', HTMLFormElement);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(form);
    void submitForm(form, 'scope-override-errors', () => request<ScopeFit>('staff', 'POST', `${ctx.base}/scope-fit/override`, { verdict: textOf(v, 'verdict'), reason: textOf(v, 'reason') })).then((fit) => {
      if (fit === null) return;
      say('scope-fit-status', `Scope fit set to ${label(fit.verdict)}: the score and findings were computed again.`);
      form.reset();
      byId('scope-override-area').removeAttribute('open');
      reload();
    });
  });
}
