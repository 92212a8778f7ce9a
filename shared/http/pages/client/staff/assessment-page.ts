/**
 * One assessment for staff: status and what needs attention (with its ways out: retry, ask the vendor for a new file,
 * cancel), the residual risk and where each point comes from, the evidence with security's corrections, findings,
 * our CUEC tasks, the decision and the timeline.
 */
import type { Assessment, CorpusCase, CuecTask, Finding, ItemsOf, ScoreAnswer, StaffAssessmentView, StaffDocument } from '../api-types.ts';
import { request, type ApiResult } from '../common/api.ts';
import { byId, facts, fill, fillErrors, h, showStatus, table, type Child } from '../common/dom.ts';
import { formatDate, formatDateTime, label, lastPathSegment } from '../common/format.ts';
import { hasRole, staffRoles } from '../common/session.ts';
import { badge, call, formValues, labelled, load, showProblem, textOf, uid, vendorLink } from './staff-common.ts';
import { attentionActions, attentionReasons, factText, sourceParts, splitContributions } from './staff-logic.ts';
import type { ScoreContribution } from '../../../../domain/risk/residual-risk.ts';

// Security's corrections of extracted facts. The server owns the list of correctable fields and validates every
// value; here each field gets an editor (a JSON text for any field without its own) and shows what was extracted.
const FACT_LABELS: Readonly<Record<string, string>> = {
  documentKind: 'Document',
  reportType: 'Report type',
  serviceOrganization: 'Service organization',
  serviceAuditor: 'Auditor',
  systemName: 'System',
  period: 'Period',
  opinion: 'Opinion',
  trustServicesCategories: 'Categories',
  subserviceOrganizations: 'Subservice organizations',
  exceptions: 'Exceptions',
  complementaryUserEntityControls: 'User entity controls (CUECs)',
};
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  documentKind: ['soc2', 'soc1', 'soc3', 'bridge-letter', 'iso27001', 'unknown'],
  reportType: ['', 'type1', 'type2'],
  opinion: ['', 'unqualified', 'qualified', 'adverse', 'disclaimer'],
};
const CATEGORIES = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];
const TEXT_FIELDS = ['serviceOrganization', 'serviceAuditor', 'systemName'];
const CLOSED_STATUSES = ['analyzing', 'approved', 'approved-with-conditions', 'rejected', 'cancelled'];
const SHOWN_FACTS = ['documentKind', 'reportType', 'serviceOrganization', 'serviceAuditor', 'systemName', 'period', 'opinion', 'trustServicesCategories', 'complementaryUserEntityControls'];

interface Context {
  base: string;
  reviewer: boolean;
  status: Assessment['status'];
  reload: () => void;
}

type Analysis = NonNullable<StaffDocument['analysis']>;
const fieldOf = (a: Analysis | null | undefined, field: string): unknown => (a ? (a as unknown as Record<string, unknown>)[field] : undefined);

interface Editor {
  nodes: Child;
  /** The new value; throws an Error with a message in words when it cannot be read. */
  read: () => unknown;
}

function editorFor(field: string, current: unknown): Editor {
  const choices = CHOICES[field];
  if (choices) {
    const select = h('select', { id: uid(field), name: 'value' }, choices.map((v) => h('option', { value: v, text: v ? label(v) : '(not stated)', selected: (current ?? '') === v })));
    return { nodes: labelled('New value', select), read: () => (select.value === '' ? null : select.value) };
  }
  if (TEXT_FIELDS.includes(field)) {
    const input = h('input', { id: uid(field), name: 'value', type: 'text', value: typeof current === 'string' ? current : '', maxlength: '300' });
    return { nodes: labelled('New value (empty: not stated)', input), read: () => (input.value.trim() === '' ? null : input.value.trim()) };
  }
  if (field === 'period') {
    const p = (current ?? null) as { start: string | null; end: string } | null;
    const start = h('input', { id: uid('start'), type: 'date', value: p?.start ?? '' });
    const end = h('input', { id: uid('end'), type: 'date', value: p?.end ?? '' });
    return {
      nodes: [labelled('Start (empty for a Type 1: as of the end date)', start), labelled('End (empty: no period stated)', end)],
      read: () => (end.value ? { start: start.value || null, end: end.value } : null),
    };
  }
  if (field === 'trustServicesCategories') {
    const chosen = Array.isArray(current) ? (current as string[]) : [];
    const boxes = CATEGORIES.map((c) => h('input', { type: 'checkbox', value: c, checked: chosen.includes(c) }));
    return {
      nodes: h('fieldset', { class: 'field' }, h('legend', { text: 'Categories in scope' }), boxes.map((b) => h('label', { class: 'choice' }, b, ` ${label(b.value)}`))),
      read: () => boxes.filter((b) => b.checked).map((b) => b.value),
    };
  }
  if (field === 'complementaryUserEntityControls') {
    const lines = h('textarea', { id: uid(field), rows: 6, value: Array.isArray(current) ? (current as string[]).join('\n') : '' });
    return { nodes: labelled('One control per line', lines), read: () => lines.value.split('\n').map((l) => l.trim()).filter(Boolean) };
  }
  const json = h('textarea', { id: uid(field), rows: 8, class: 'code', value: JSON.stringify(current === undefined ? null : current, null, 2) });
  return {
    nodes: labelled('New value (JSON, as in the analysis)', json),
    read: () => {
      try {
        return JSON.parse(json.value) as unknown;
      } catch (error) {
        throw new Error(`The value is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

function correctionForm(ctx: Context, doc: StaffDocument, field: string, current: unknown, corrected: boolean): HTMLElement[] {
  const path = `${ctx.base}/documents/${encodeURIComponent(doc.id)}/corrections/${encodeURIComponent(field)}`;
  const ifMatch = { 'if-match': `"${doc.version}"` };
  const errorsId = uid('errors');
  const after = (res: ApiResult<unknown>) => {
    if (res.status === 412) {
      showStatus('Someone changed these facts meanwhile: the page now shows the current ones. Check them and try again.', true);
      return ctx.reload();
    }
    if (!res.ok) return showProblem(res.problem, errorsId);
    showStatus(`Saved: ${FACT_LABELS[field] ?? field}. The residual risk, findings and tasks were computed again.`);
    ctx.reload();
  };
  const editor = editorFor(field, current);
  const reason = h('textarea', { id: uid('reason'), name: 'reason', rows: 2, required: true, maxlength: '2000' });
  const form = h('form', { class: 'stack' }, editor.nodes, labelled('Why (what the report says, and where)', reason), h('ul', { id: errorsId, class: 'errors' }), h('button', { type: 'submit', text: 'Save correction' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let value: unknown;
    try {
      value = editor.read();
    } catch (error) {
      return fillErrors(errorsId, [(error as Error).message]);
    }
    void request('staff', 'PUT', path, { value, reason: reason.value }, ifMatch).then(after);
  });
  const controls = [h('details', { class: 'correct' }, h('summary', { text: 'Correct' }), form)];
  if (corrected) {
    const why = h('input', { id: uid('revert'), type: 'text', required: true, maxlength: '2000' });
    const revert = h('form', { class: 'stack' }, labelled('Why revert', why), h('button', { type: 'submit', text: 'Revert to the extracted value' }));
    revert.addEventListener('submit', (e) => {
      e.preventDefault();
      void request('staff', 'DELETE', `${path}?reason=${encodeURIComponent(why.value)}`, undefined, ifMatch).then(after);
    });
    controls.push(h('details', { class: 'correct' }, h('summary', { text: 'Revert' }), revert));
  }
  return controls;
}

async function downloadCorpusCase(ctx: Context, doc: StaffDocument): Promise<void> {
  const corpus = await call(request<CorpusCase>('staff', 'GET', `${ctx.base}/documents/${encodeURIComponent(doc.id)}/corrections/corpus-case`));
  if (!corpus) return;
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(corpus, null, 2)}\n`], { type: 'application/json' }));
  const a = h('a', { href: url, download: `${corpus.caseName}.label.json` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  showStatus(`Downloaded. Add it to a corpus with: npx trustgate corpus add ${corpus.caseName} --label ${corpus.caseName}.label.json --pdf <the PDF>${corpus.warnings.length ? ` (${corpus.warnings.join('; ')})` : ''}`);
}

function analysisView(doc: StaffDocument, ctx: Context): HTMLElement {
  const original = doc.analysis;
  const a = doc.effectiveAnalysis ?? original;
  const head = h('h3', { text: `${doc.fileName} (${label(doc.kind)})` });
  if (!a || !original) return h('div', null, head, h('p', { class: 'muted', text: `Analysis: ${label(doc.analysisStatus)}${doc.analysisError ? ` (${doc.analysisError.message})` : ''}` }));
  const evidence = (original.evidence ?? {}) as Record<string, { quote: string; page: number } | undefined>;
  const corrections = new Map((doc.corrections ?? []).map((c) => [c.field as string, c]));
  const editable = ctx.reviewer && !CLOSED_STATUSES.includes(ctx.status) && doc.analysisStatus === 'analyzed';
  const quote = (field: string) => {
    const ev = evidence[field];
    return ev ? h('blockquote', { class: 'quote' }, `“${ev.quote}” `, h('span', { class: 'muted', text: `(page ${ev.page})` })) : null;
  };
  const fact = (field: string): [string, Child] => {
    const c = corrections.get(field);
    return [
      FACT_LABELS[field] ?? label(field),
      h(
        'div',
        { 'data-field': field },
        h('div', null, factText(field, fieldOf(a, field)), c ? [' ', h('span', { class: 'badge corrected', text: 'Corrected' })] : null),
        c ? h('p', { class: 'muted correction', text: `Extracted: ${factText(field, fieldOf(original, field))}. Corrected by ${c.correctedBy}, ${formatDateTime(c.correctedAt)}: ${c.reason}` }) : null,
        quote(field),
        editable ? correctionForm(ctx, doc, field, fieldOf(a, field), Boolean(c)) : null,
      ),
    ];
  };
  const others = [...corrections.keys()].filter((f) => !SHOWN_FACTS.includes(f) && f !== 'exceptions' && f !== 'subserviceOrganizations');
  const subservice = a.subserviceOrganizations ?? [];
  return h(
    'div',
    { class: 'analysis' },
    head,
    facts([
      ...SHOWN_FACTS.filter((f) => f !== 'systemName' || fieldOf(a, 'systemName') !== undefined || editable).map(fact),
      ...others.map(fact),
      ['Controls tested', h('div', null, a.controlsTested === null ? '—' : String(a.controlsTested), quote('controlsTested'))],
      ['Pages', String(a.pages)],
    ]),
    h('h4', { text: 'Exceptions' }),
    facts([fact('exceptions')]),
    a.exceptions === null
      ? h('p', { class: 'muted', text: 'No tests of controls section found.' })
      : table(
          [
            { label: 'Control', cell: (x) => x.controlId ?? '—' },
            { label: 'Exception', cell: (x) => x.description },
            { label: 'Criteria', cell: (x) => (x.criteria ?? []).join(', ') || '—' },
            { label: 'Management response', cell: (x) => x.managementResponse ?? '—' },
            { label: 'Page', cell: (x) => String(x.page) },
          ],
          a.exceptions,
          'No exceptions noted.',
        ),
    h('h4', { text: 'Subservice organizations' }),
    facts([fact('subserviceOrganizations')]),
    subservice.length ? h('ul', null, subservice.map((s) => h('li', { text: `${s.name} (${s.method})${s.services ? `: ${s.services}` : ''}` }))) : null,
    (a.warnings ?? []).length ? h('ul', { class: 'errors' }, a.warnings.map((w) => h('li', { text: w }))) : null,
    ctx.reviewer && doc.analysisStatus === 'analyzed' ? h('p', { class: 'actions' }, h('button', { type: 'button', text: 'Download as corpus case', onclick: () => void downloadCorpusCase(ctx, doc) })) : null,
  );
}

function contributionChart(contributions: readonly ScoreContribution[]): Child {
  const { shown, zero, max } = splitContributions(contributions);
  const source = (c: ScoreContribution) => {
    const parts = sourceParts(c.source);
    return parts.length ? h('span', { class: 'muted', text: ` (${parts.join(', ')})` }) : null;
  };
  return [
    h(
      'ul',
      { class: 'chart', 'aria-label': 'Score contributions' },
      shown.map((c) => {
        const bar = h('span', { class: `bar${c.points < 0 ? ' neg' : ''}`, 'aria-hidden': 'true' });
        bar.style.width = `${Math.max(1, Math.round((Math.abs(c.points) / max) * 100))}%`;
        return h('li', null, h('span', null, c.description, source(c)), h('span', { class: 'pts', text: (c.points > 0 ? '+' : '') + String(c.points) }), bar);
      }),
    ),
    zero.length ? h('details', null, h('summary', { text: `${zero.length} more contribution(s) of 0 points` }), h('ul', null, zero.map((c) => h('li', null, c.description, source(c))))) : null,
  ];
}

function actionForm(summary: string, fields: Child, submit: (values: Record<string, string | string[]>) => void): HTMLElement {
  const form = h('form', { class: 'stack' }, fields, h('button', { type: 'submit', text: summary }));
  form.addEventListener('submit', (e) => (e.preventDefault(), submit(formValues(form))));
  return h('details', null, h('summary', { text: summary }), form);
}

function textField(name: string, labelText: string, type: 'text' | 'date' | 'area' = 'text'): HTMLElement {
  const fid = uid(name);
  const control = type === 'area' ? h('textarea', { id: fid, name, rows: 2, required: true }) : h('input', { id: fid, name, type, required: true });
  return labelled(labelText, control);
}

export function assessmentPage(): void {
  const id = lastPathSegment(location.pathname);
  const base = `/api/assessments/${encodeURIComponent(id)}`;
  const reviewer = hasRole('security', 'admin');

  async function act(path: string, body: unknown, after: () => void, errorsId?: string): Promise<boolean> {
    const done = await call(request('staff', 'POST', base + path, body), errorsId);
    if (done === null) return false;
    showStatus('Saved.');
    after();
    return true;
  }

  function renderAttention(a: Assessment, documents: readonly StaffDocument[]): void {
    const reasons = attentionReasons(a, documents);
    const can = attentionActions(a, documents, staffRoles());
    const panel = byId('attention');
    panel.hidden = reasons.length === 0;
    fill('attention-reasons', reasons.map((r) => h('li', { text: r })));
    const actions: HTMLElement[] = [];
    if (can.retry) {
      actions.push(
        h('p', { class: 'actions' }, h('button', {
          type: 'button',
          id: 'retry',
          text: a.status === 'needs-attention' ? 'Retry' : 'Read the files again',
          onclick: () =>
            void call(request<Assessment>('staff', 'POST', `${base}/retry`), 'attention-errors').then((done) => {
              if (!done) return;
              showStatus(a.status === 'needs-attention' ? 'Retried: the workflow goes on from the step that stopped.' : 'Analysis retried: documents that could not be read are read again.');
              loadView();
            }),
        })),
      );
    }
    if (can.sendBack) {
      const names = documents.filter((d) => d.analysisStatus === 'failed').map((d) => d.fileName).join(', ');
      actions.push(
        actionForm('Ask the vendor for a new file', textField('reason', 'What the vendor should send (the vendor reads this)', 'area'), (v) => {
          const reason = textOf(v, 'reason').trim() || `We could not read ${names}. Please upload a copy that opens without a password.`;
          void act('/decision', { decision: 'changes-requested', comment: reason, conditions: [] }, loadView, 'attention-errors').then((ok) => {
            if (ok) showStatus('Sent back to the vendor: a mail with a link asks for the new file.');
          });
        }),
      );
    }
    fill('attention-actions', actions);
    // Cancel is always a way out for procurement, not only when something went wrong.
    byId('cancel-area').hidden = !can.cancel;
    fill(
      'cancel-area',
      can.cancel
        ? actionForm('Cancel the assessment', [textField('reason', 'Why cancel'), h('ul', { id: 'cancel-errors', class: 'errors', 'aria-live': 'assertive' })], (v) => {
            void call(request<Assessment>('staff', 'POST', `${base}/cancel`, { reason: textOf(v, 'reason') }), 'cancel-errors').then((done) => {
              if (!done) return;
              showStatus('Cancelled: the vendor’s link no longer works.');
              loadView();
            });
          })
        : null,
    );
  }

  function loadView(): void {
    void load<StaffAssessmentView>(base).then((view) => {
      if (!view) return showStatus('No such assessment.', true);
      const a = view.assessment;
      fill(document.querySelector('h1'), `Assessment of ${a.vendorName}`);
      document.title = `${a.vendorName} assessment · trustgate`;
      fill(
        'summary',
        facts([
          ['Vendor', vendorLink(a.vendorId, `${a.vendorName} (tier ${a.vendorTier})`)],
          ['Status', badge(a.status)],
          ['Needs attention', a.attentionReason],
          ['Changes requested', a.changesRequested],
          ['Questionnaires', a.templates.map((t) => `${t.id} ${t.version}`).join(', ')],
          ['Vendor contact', a.contactEmail],
          ['Due', `${formatDate(a.dueDate)}${a.reminders.overdue ? ' (overdue)' : ''}, reminders sent: ${a.reminders.sent}`],
          ['Submitted', formatDateTime(a.submittedAt)],
          ['Decision', a.lastDecision ? `${label(a.lastDecision.decision)}: ${a.lastDecision.comment}${a.lastDecision.automatic ? ' (automatic)' : ''}` : null],
          ['Next review', formatDate(a.nextReviewDate)],
        ]),
      );
      byId('procurement-actions').hidden = !(hasRole('procurement', 'admin') && ['inviting', 'awaiting-vendor', 'overdue'].includes(a.status));
      byId('decide').hidden = !(reviewer && a.status === 'awaiting-review');
      renderAttention(a, view.documents);
      const ctx: Context = { base, reviewer, status: a.status, reload: loadView };
      fill('analysis', view.documents.length ? view.documents.map((d) => analysisView(d, ctx)) : h('p', { class: 'muted', text: 'No documents uploaded yet.' }));
      fill('timeline', view.timeline.slice().reverse().map((ev) => h('li', null, h('time', { datetime: ev.at, text: formatDateTime(ev.at) }), ' · ', ev.summary, h('span', { class: 'muted', text: ` (${ev.actor})` }))));
    });
    void load<ScoreAnswer>(`${base}/score`).then((res) => {
      const s = res?.score;
      if (!s) return fill('score', h('p', { class: 'muted', text: 'Not scored yet: the score appears once the vendor has submitted and the evidence is analyzed.' }));
      const rating = s.override?.rating ?? s.rating;
      fill('score', [
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
        contributionChart(s.contributions),
      ]);
    });
    loadFindings();
    loadTasks();
  }

  function loadFindings(): void {
    void load<ItemsOf<Finding>>(`${base}/findings`).then((res) => {
      fill(
        'findings',
        table(
          [
            { label: 'Severity', cell: (f) => badge(f.severity, 'sev') },
            { label: 'Finding', cell: (f) => h('div', null, h('strong', { text: f.title }), h('div', { text: f.detail }), f.recommendedRemediation ? h('div', { class: 'muted', text: `Remediation: ${f.recommendedRemediation}` }) : null) },
            { label: 'Owner', cell: (f) => label(f.owner) },
            { label: 'Due', cell: (f) => formatDate(f.dueDate) },
            { label: 'Status', cell: (f) => label(f.status) + (f.riskAcceptance ? ` until ${f.riskAcceptance.expiresOn}` : '') },
            {
              label: 'Actions',
              cell: (f) => {
                if (!reviewer || f.status === 'closed') return '—';
                const path = `/findings/${encodeURIComponent(f.id)}`;
                return h(
                  'div',
                  null,
                  f.status === 'open'
                    ? actionForm('Accept risk', [textField('justification', 'Justification', 'area'), textField('expiresOn', 'Acceptance expires on', 'date')], (v) => {
                        void act(path, { kind: 'accept-risk', justification: textOf(v, 'justification'), expiresOn: textOf(v, 'expiresOn') }, loadFindings);
                      })
                    : null,
                  f.status !== 'remediated' ? actionForm('Mark remediated', [textField('note', 'What was done', 'area')], (v) => void act(path, { kind: 'remediate', note: textOf(v, 'note') }, loadFindings)) : null,
                );
              },
            },
          ],
          res?.items ?? [],
          'No findings.',
        ),
      );
    });
  }

  function loadTasks(): void {
    void load<ItemsOf<CuecTask>>(`${base}/tasks`).then((res) => {
      fill(
        'tasks',
        table(
          [
            { label: 'Control we operate', cell: (t) => t.text },
            { label: 'Source', cell: (t) => t.fileName + (t.page ? `, page ${t.page}` : '') },
            { label: 'Status', cell: (t) => label(t.status) + (t.assignee ? ` (${t.assignee})` : '') },
            {
              label: 'Actions',
              cell: (t) => {
                if (t.status === 'done' || t.status === 'not-applicable') return '—';
                return actionForm('Mark done', [textField('note', 'How we operate it', 'area')], (v) => void act(`/tasks/${encodeURIComponent(t.id)}`, { kind: 'complete', note: textOf(v, 'note') }, loadTasks));
              },
            },
          ],
          res?.items ?? [],
          'No CUEC tasks (they come from the SOC 2 report once analyzed).',
        ),
      );
    });
  }

  byId('resend').addEventListener('click', () => {
    void call(request<{ sentTo: string }>('staff', 'POST', `${base}/resend-invite`)).then((sent) => {
      if (!sent) return;
      showStatus(`A new link was sent to ${sent.sentTo}; earlier links no longer work.`);
      loadView();
    });
  });
  const form = byId('decision-form', HTMLFormElement);
  form.addEventListener('change', () => (byId('conditions-field').hidden = textOf(formValues(form), 'decision') !== 'approved-with-conditions'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const v = formValues(form);
      const decision = textOf(v, 'decision');
      const body = { decision, comment: textOf(v, 'comment'), conditions: decision === 'approved-with-conditions' ? [{ description: textOf(v, 'condition'), dueDate: textOf(v, 'conditionDue') }] : [] };
      const decided = await call(request<Assessment>('staff', 'POST', `${base}/decision`, body), 'decision-errors');
      if (!decided) return;
      showStatus(`Decision recorded: ${label(decided.status)}.`);
      loadView();
    })();
  });
  loadView();
}
