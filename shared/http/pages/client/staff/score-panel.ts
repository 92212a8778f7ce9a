/**
 * The residual risk panel: the score on the 0-100 scale with the policy's rating bands, the contributions grouped
 * (inherent profile, evidence, findings) one line per cause, and security's rating override with its justification.
 */
import type { RiskPolicy, Score } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, h, type Child } from '../common/dom.ts';
import { formatDateTime, label } from '../common/format.ts';
import { pageButton } from './pdf-link.ts';
import { say, submitForm } from './review-forms.ts';
import { badge, formValues, textOf } from './staff-common.ts';
import { sourceParts } from './staff-logic.ts';
import { bandOf, groupContributions, ratingBands, signed, type CauseLine, type RatingBand } from './review-logic.ts';

export interface PanelContext {
  assessmentId: string;
  base: string;
  reviewer: boolean;
  /** Shows a failure that belongs to no form (a PDF that would not open). */
  onError: (message: string) => void;
}

/** The scale: one segment per band, sized by its share of 0-100, and a marker at the score; in words for screen readers. */
function scale(score: number, bands: readonly RatingBand[], rating: string): Child {
  const band = bandOf(score, bands);
  const segments = bands.map((b) => {
    const seg = h('span', { class: `band band-${b.rating}`, 'aria-hidden': 'true' }, h('span', { class: 'band-name', text: label(b.rating) }));
    seg.style.width = `${((b.to - b.from + 1) / 101) * 100}%`;
    return seg;
  });
  const marker = h('span', { class: 'marker', 'aria-hidden': 'true' });
  marker.style.left = `${(score / 100) * 100}%`;
  return [
    h('div', { class: 'scale', role: 'img', 'aria-label': `Score ${score} of 100, in the ${band.rating} band (${band.from} to ${band.to}); rating ${rating}` }, segments, marker),
    h('ul', { class: 'bands' }, bands.map((b) => h('li', { class: b === band ? 'current' : '' }, badge(b.rating, 'rating'), ` ${b.from}–${b.to}`, b === band ? h('span', { class: 'muted', text: ' (this score)' }) : null))),
  ];
}

function line(ctx: PanelContext, l: CauseLine, max: number): HTMLElement {
  const bar = h('span', { class: `bar${l.points < 0 ? ' neg' : ''}`, 'aria-hidden': 'true' });
  bar.style.width = `${Math.max(1, Math.round((Math.abs(l.points) / max) * 100))}%`;
  const parts = l.source && l.source.kind !== 'document' ? sourceParts(l.source) : [];
  return h(
    'li',
    { 'data-cause': l.cause },
    h(
      'span',
      null,
      l.description,
      parts.length ? h('span', { class: 'muted', text: ` (${parts.join(', ')})` }) : null,
      l.citations.length ? [' ', l.citations.map((c) => [pageButton(ctx.assessmentId, c, ctx.onError), ' '])] : null,
      l.parts > 1 ? h('span', { class: 'muted', text: ` · counted in ${l.parts} categories` }) : null,
    ),
    h('span', { class: 'pts', text: signed(l.points) }),
    bar,
  );
}

/** Fills the panel from the score (null: not scored yet) and the policy in force (for the bands). */
export function renderScore(ctx: PanelContext, s: Score | null, policy: RiskPolicy | null): Child {
  if (!s) return h('p', { class: 'muted', text: 'Not scored yet: the score appears once the vendor has submitted and the evidence is analyzed.' });
  const rating = s.override?.rating ?? s.rating;
  const groups = groupContributions(s.contributions);
  const max = Math.max(1, ...groups.flatMap((g) => g.lines.map((l) => Math.abs(l.points))));
  return [
    h(
      'p',
      { class: 'score-line' },
      'Residual risk ',
      h('strong', { text: String(s.score) }),
      ' · rating ',
      badge(rating, 'rating'),
      s.override ? h('span', { class: 'muted', text: ` (overridden; computed ${s.rating})` }) : null,
      h('span', { class: 'muted', text: ` · policy ${s.policyVersion}` }),
    ),
    policy ? scale(s.score, ratingBands(policy.ratings), rating) : null,
    s.override
      ? h('p', { class: 'override-note', id: 'override-note' }, `Rating overridden to ${label(s.override.rating)} by ${s.override.actor}, ${formatDateTime(s.override.at)} (computed: ${label(s.override.computedRating)}, score ${s.override.computedScore}): `, h('q', { text: s.override.justification }))
      : null,
    groups.map((g) =>
      h(
        'div',
        { class: 'contrib-group', 'data-group': g.id },
        h('h3', null, `${g.label} `, h('span', { class: 'muted', text: `${signed(g.total)} points` })),
        g.lines.length ? h('ul', { class: 'chart', 'aria-label': `${g.label}: contributions` }, g.lines.map((l) => line(ctx, l, max))) : null,
        g.zero.length ? h('details', null, h('summary', { text: `${g.zero.length} more of 0 points` }), h('ul', null, g.zero.map((l) => h('li', { 'data-cause': l.cause, text: l.description })))) : null,
      ),
    ),
  ];
}

/** Wires the override form of the shell once; `reload` redraws the panel after an override. */
export function wireOverride(ctx: PanelContext, reload: () => void): void {
  const form = byId('override-form', HTMLFormElement);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(form);
    void submitForm(form, 'override-errors', () => request('staff', 'POST', `${ctx.base}/score/override`, { rating: textOf(v, 'rating'), justification: textOf(v, 'justification') })).then((done) => {
      if (done === null) return;
      say('score-status', `Rating overridden to ${label(textOf(v, 'rating'))}; the computed rating stays visible.`);
      form.reset();
      byId('override-area').removeAttribute('open');
      reload();
    });
  });
}
