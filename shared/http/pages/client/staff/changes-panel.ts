/**
 * The "what changed" panel of a reassessment (issue 18, item 2): the score delta with the contributions that moved
 * (one line per cause), the answers that changed, findings opened and closed, and how the vendor reviewed the
 * carried-over sections. An empty state when there is no previous approved assessment.
 */
import type { AssessmentChanges } from '../api-types.ts';
import { facts, h, table, type Child } from '../common/dom.ts';
import { formatDate, label } from '../common/format.ts';
import { assessmentLink, badge } from './staff-common.ts';
import { changesView, GROUP_LABELS, signed } from './review-logic.ts';

export function renderChanges(changes: AssessmentChanges | null): Child {
  const view = changesView(changes);
  if (view.kind === 'none') return h('p', { class: 'muted', id: 'changes-empty', text: view.message });
  const { score, sections } = view;
  const findings = (items: typeof view.opened, empty: string) => (items.length ? h('ul', null, items.map((f) => h('li', null, badge(f.severity, 'sev'), ` ${f.title}`))) : h('p', { class: 'muted', text: empty }));
  return [
    facts([
      ['Compared with', h('span', null, assessmentLink(view.previous.assessmentId, `the assessment ${label(view.previous.decision).toLowerCase()} on ${formatDate(view.previous.decidedAt)}`))],
      ['Residual risk', score.before === null || score.after === null ? 'not scored on both sides' : `${score.before} → ${score.after} (${signed(score.delta ?? 0)})`],
      ['Carried-over sections', `${sections.confirmed} confirmed unchanged, ${sections.edited} edited, ${sections.unconfirmed} not reviewed`],
    ]),
    h('h3', { text: 'Contributions that moved' }),
    table(
      [
        { label: 'Group', cell: (m) => GROUP_LABELS[m.group] },
        { label: 'Cause', cell: (m) => m.description },
        { label: 'Before', cell: (m) => signed(m.before) },
        { label: 'Now', cell: (m) => signed(m.after) },
      ],
      view.moved,
      'No contribution moved.',
    ),
    h('h3', { text: 'Answers that changed' }),
    table(
      [
        { label: 'Question', cell: (a) => a.question },
        { label: 'Before', cell: (a) => a.before },
        { label: 'Now', cell: (a) => a.after },
      ],
      view.answers,
      'No answer changed.',
    ),
    h('div', { class: 'grid' }, h('div', null, h('h3', { text: 'New findings' }), findings(view.opened, 'None.')), h('div', null, h('h3', { text: 'Closed findings' }), findings(view.closed, 'None.'))),
  ];
}
