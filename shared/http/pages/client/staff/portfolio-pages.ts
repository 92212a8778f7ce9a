/** Vendors (list, intake, one vendor), the review queue, the dashboard and the local outbox. */
import type { Assessment, Finding, ItemsOf, PageOf, RegisterDashboard, RegisterLine, SelectedTemplate, SentMail, StaffAssessmentView, TemplateSummary, Vendor } from '../api-types.ts';
import { request } from '../common/api.ts';
import { byId, facts, fill, fillErrors, h, showStatus, table } from '../common/dom.ts';
import { formatDate, formatDateTime, isoDateAfterDays, label, lastPathSegment, queryString } from '../common/format.ts';
import { hasRole } from '../common/session.ts';
import { assessmentLink, badge, call, formValues, link, listOf, load, textOf, vendorLink } from './staff-common.ts';
import { effectiveAnalysis, overdueAssessments, RATING_BUCKETS, reviewOrder, staleFrom } from './staff-logic.ts';

const itemsOf = <T>(data: ItemsOf<T> | null): T[] => data?.items ?? [];
const today = () => new Date().toISOString().slice(0, 10);

interface RegisterEntry {
  rating: RegisterLine['rating'];
  nextReviewDate: string | null;
  assessmentId: string | null;
  assessmentStatus: string | null;
}

export function vendorsPage(): void {
  const form = byId('vendor-filters', HTMLFormElement);
  let cursor: string | null = null;
  let rows: Vendor[] = [];
  let register = new Map<string, RegisterEntry>();
  async function show(append: boolean): Promise<void> {
    const v = formValues(form);
    const query = queryString({ q: textOf(v, 'q').trim(), tier: textOf(v, 'tier'), criticality: textOf(v, 'criticality'), status: textOf(v, 'status'), limit: 100, cursor: append ? cursor : '' });
    const [page, open] = await Promise.all([load<PageOf<Vendor>>(`/api/vendors${query}`), append ? null : load<PageOf<Assessment>>('/api/assessments?open=true&limit=100')]);
    if (!page) return;
    // The register lines of this page's vendors only: one bounded read, whatever the portfolio's size.
    const ids = page.items.map((vendor) => vendor.id);
    const lines = ids.length ? await load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: ids.join(',') })}`) : null;
    if (!append) register = new Map();
    for (const line of itemsOf(lines)) register.set(line.vendorId, line);
    for (const a of itemsOf(open)) {
      const line = register.get(a.vendorId);
      if (!line?.assessmentId) register.set(a.vendorId, { rating: line?.rating ?? null, nextReviewDate: line?.nextReviewDate ?? null, assessmentId: a.id, assessmentStatus: a.status });
    }
    rows = append ? rows.concat(page.items) : page.items;
    cursor = page.nextCursor;
    fill('vendor-list', [
      table(
        [
          { label: 'Name', cell: (x) => vendorLink(x.id, x.name) },
          { label: 'Tier', cell: (x) => `Tier ${x.inherentRisk.tier}` },
          { label: 'Rating', cell: (x) => { const r = register.get(x.id); return r?.rating ? badge(r.rating, 'rating') : 'Not rated'; } },
          { label: 'Status', cell: (x) => label(x.status) },
          { label: 'Assessment', cell: (x) => { const r = register.get(x.id); return r?.assessmentId ? assessmentLink(r.assessmentId, label(r.assessmentStatus)) : '—'; } },
          { label: 'Next review', cell: (x) => formatDate(register.get(x.id)?.nextReviewDate) },
        ],
        rows,
        'No vendors match.',
      ),
      cursor ? h('p', null, h('button', { type: 'button', onclick: () => void show(true), text: 'Show more' })) : null,
    ]);
  }
  form.addEventListener('submit', (e) => (e.preventDefault(), void show(false)));
  form.addEventListener('change', () => void show(false));
  void show(false);
}

export function vendorNewPage(): void {
  const form = byId('intake', HTMLFormElement);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void (async () => {
      const v = formValues(form);
      const body: Record<string, unknown> = {
        name: textOf(v, 'name'),
        website: textOf(v, 'website'),
        contactEmail: textOf(v, 'contactEmail'),
        criticality: textOf(v, 'criticality'),
        dataClassification: textOf(v, 'dataClassification'),
        dataTypes: listOf(v, 'dataTypes'),
        systemAccess: textOf(v, 'systemAccess'),
        recordVolume: textOf(v, 'recordVolume'),
      };
      for (const key of ['contactName', 'description', 'businessOwner']) if (textOf(v, key).trim()) body[key] = textOf(v, key);
      const vendor = await call(request<Vendor>('staff', 'POST', '/api/vendors', body), 'form-errors');
      if (vendor) location.assign(`/vendors/${encodeURIComponent(vendor.id)}`);
    })();
  });
}

export function vendorPage(): void {
  const id = lastPathSegment(location.pathname);
  void load<Vendor>(`/api/vendors/${encodeURIComponent(id)}`).then((vendor) => {
    if (!vendor) return showStatus('No such vendor.', true);
    document.title = `${vendor.name} · trustgate`;
    fill(document.querySelector('h1'), vendor.name);
    const risk = vendor.inherentRisk;
    fill(
      'profile-body',
      facts([
        ['Tier', `Tier ${risk.tier} (inherent risk ${risk.score})`],
        ['Why this tier', risk.tierReason],
        ['Status', label(vendor.status)],
        ['Website', vendor.website],
        ['Security contact', (vendor.contactName ? `${vendor.contactName}, ` : '') + vendor.contactEmail],
        ['What we buy', vendor.description],
        ['Criticality', label(vendor.criticality)],
        ['Data shared', label(vendor.dataClassification) + (vendor.dataTypes.length ? `: ${vendor.dataTypes.join(', ')}` : '')],
        ['Access to our systems', label(vendor.systemAccess)],
        ['Records shared', vendor.recordVolume],
        ['Business owner', vendor.businessOwner],
      ]),
    );
    if (hasRole('procurement', 'admin')) setUpStart(vendor);
  });
  void load<PageOf<Assessment>>(`/api/assessments${queryString({ vendorId: id, limit: 100 })}`).then(async (page) => {
    const list = itemsOf(page);
    fill(
      'history',
      table(
        [
          { label: 'Started', cell: (a) => assessmentLink(a.id, formatDate(a.createdAt)) },
          { label: 'Status', cell: (a) => label(a.status) },
          { label: 'Due', cell: (a) => formatDate(a.dueDate) },
          { label: 'Decision', cell: (a) => (a.lastDecision ? label(a.lastDecision.decision) : '—') },
          { label: 'Next review', cell: (a) => formatDate(a.nextReviewDate) },
        ],
        list,
        'No assessments yet.',
      ),
    );
    const recent = list.slice(0, 5);
    const [views, findings] = await Promise.all([
      Promise.all(recent.map((a) => load<StaffAssessmentView>(`/api/assessments/${encodeURIComponent(a.id)}`))),
      Promise.all(recent.map((a) => load<ItemsOf<Finding>>(`/api/assessments/${encodeURIComponent(a.id)}/findings`))),
    ]);
    const docs = views.flatMap((view) => (view ? view.documents.map((doc) => ({ doc, assessment: view.assessment })) : []));
    fill(
      'documents',
      table(
        [
          { label: 'File', cell: (d) => d.doc.fileName },
          { label: 'Kind', cell: (d) => label(d.doc.kind) },
          { label: 'Analysis', cell: (d) => label(d.doc.analysisStatus) },
          { label: 'Period', cell: (d) => { const p = effectiveAnalysis(d.doc)?.period; return p ? `${formatDate(p.start)} to ${formatDate(p.end)}` : '—'; } },
          { label: 'Assessment', cell: (d) => assessmentLink(d.assessment.id, formatDate(d.assessment.createdAt)) },
        ],
        docs,
        'No documents yet.',
      ),
    );
    const orgs = new Map<string, { method: string; services: string | null }>();
    for (const d of docs) for (const s of effectiveAnalysis(d.doc)?.subserviceOrganizations ?? []) orgs.set(s.name, { method: s.method, services: s.services ?? null });
    const names = [...orgs.keys()].sort();
    fill('subservice', names.length ? h('ul', null, names.map((n) => h('li', null, `${n} (${label(orgs.get(n)!.method)})${orgs.get(n)!.services ? `: ${orgs.get(n)!.services}` : ''}`))) : h('p', { class: 'muted', text: 'None reported yet.' }));
    const all = findings.flatMap((r, i) => itemsOf(r).map((f) => ({ f, a: recent[i]! })));
    fill(
      'findings',
      table(
        [
          { label: 'Severity', cell: (x) => badge(x.f.severity, 'sev') },
          { label: 'Finding', cell: (x) => x.f.title },
          { label: 'Status', cell: (x) => label(x.f.status) },
          { label: 'Due', cell: (x) => formatDate(x.f.dueDate) },
          { label: 'Assessment', cell: (x) => assessmentLink(x.a.id, formatDate(x.a.createdAt)) },
        ],
        all,
        'No findings.',
      ),
    );
  });

  function setUpStart(vendor: Vendor): void {
    byId('start').hidden = false;
    const due = byId('f-dueDate', HTMLInputElement);
    due.value = isoDateAfterDays(Date.now(), 30);
    due.min = isoDateAfterDays(Date.now(), 1);
    void Promise.all([load<ItemsOf<TemplateSummary>>('/api/questionnaires'), load<ItemsOf<SelectedTemplate>>(`/api/vendors/${encodeURIComponent(vendor.id)}/questionnaire-selection`)]).then(([templates, selected]) => {
      const chosen = new Set(itemsOf(selected).map((s) => s.templateId));
      fill('template-choices', itemsOf(templates).map((t) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'templates', value: t.id, checked: chosen.has(t.id) }), ` ${t.title} (${t.questionCount} questions)`)));
    });
    byId('start-form', HTMLFormElement).addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        const v = formValues(e.target as HTMLFormElement);
        const templates = listOf(v, 'templates');
        if (templates.length === 0) return fillErrors('start-errors', ['Choose at least one questionnaire.']);
        const started = await call(request<Assessment>('staff', 'POST', '/api/assessments', { vendorId: vendor.id, templates, dueDate: textOf(v, 'dueDate') }), 'start-errors');
        if (started) location.assign(`/assessments/${encodeURIComponent(started.id)}`);
      })();
    });
  }
}

export function reviewPage(): void {
  void (async () => {
    const queue = await load<PageOf<Assessment>>(`/api/assessments${queryString({ status: 'awaiting-review', limit: 100 })}`);
    const ids = [...new Set(itemsOf(queue).map((a) => a.vendorId))];
    const register = ids.length ? await load<ItemsOf<RegisterLine>>(`/api/risk-register/lines${queryString({ vendorIds: ids.join(',') })}`) : null;
    const byAssessment = new Map(itemsOf(register).filter((l) => l.assessmentId).map((l) => [l.assessmentId!, l]));
    const rows = reviewOrder(itemsOf(queue).map((a) => ({ a, r: byAssessment.get(a.id) ?? null })));
    fill(
      'queue',
      table(
        [
          { label: 'Vendor', cell: (x) => assessmentLink(x.a.id, x.a.vendorName) },
          { label: 'Tier', cell: (x) => `Tier ${x.a.vendorTier}` },
          { label: 'Residual risk', cell: (x) => (x.r && x.r.score !== null ? h('span', null, `${x.r.score} `, badge(x.r.rating, 'rating')) : 'Not scored') },
          { label: 'Open findings', cell: (x) => (x.r ? String(x.r.openFindings) : '—') },
          { label: 'Due', cell: (x) => formatDate(x.a.dueDate) },
          { label: 'Submitted', cell: (x) => formatDate(x.a.submittedAt) },
        ],
        rows,
        'Nothing waits for review.',
      ),
    );
  })();
}

export function dashboardPage(): void {
  // Portfolio figures come from the server's maintained counts (the whole portfolio); the expiry list reads the 50
  // soonest reviews.
  void Promise.all([
    load<RegisterDashboard>('/api/risk-register/dashboard'),
    load<PageOf<Assessment>>(`/api/assessments${queryString({ open: 'true', limit: 100 })}`),
    load<ItemsOf<RegisterLine>>(`/api/risk-register${queryString({ sort: 'next-review', limit: 50 })}`),
  ]).then(async ([figures, open, soonest]) => {
    const counts = RATING_BUCKETS.map((rating) => [rating, figures?.byRating[rating] ?? 0] as const);
    const max = Math.max(1, ...counts.map(([, n]) => n));
    fill('ratings', [
      h(
        'ul',
        { class: 'chart', 'aria-label': 'Vendors by rating' },
        counts.map(([rating, count]) => {
          const bar = h('span', { class: `bar${rating === 'low' ? ' neg' : ''}`, 'aria-hidden': 'true' });
          bar.style.width = `${Math.round((count / max) * 100)}%`;
          return h('li', null, h('span', { text: label(rating) }), h('span', { class: 'pts', text: String(count) }), bar);
        }),
      ),
      figures ? h('p', { class: 'muted', text: `${figures.overdueReviews} review(s) overdue, ${figures.dueReviews} due within ${figures.dueWithinDays} days.` }) : null,
    ]);
    const now = today();
    fill(
      'overdue',
      table(
        [
          { label: 'Vendor', cell: (a) => assessmentLink(a.id, a.vendorName) },
          { label: 'Due', cell: (a) => formatDate(a.dueDate) },
          { label: 'Status', cell: (a) => label(a.status) },
        ],
        overdueAssessments(itemsOf(open), now),
        'No overdue assessments.',
      ),
    );
    fill(
      'concentration',
      table(
        [
          { label: 'Provider', cell: (p) => p.provider },
          { label: 'Vendors on it', cell: (p) => String(p.vendors) },
        ],
        figures?.subserviceConcentration ?? [],
        'No subservice organizations reported yet.',
      ),
    );
    const withAssessment = itemsOf(soonest).filter((l) => l.assessmentId);
    const views = await Promise.all(withAssessment.map((l) => load<StaffAssessmentView>(`/api/assessments/${encodeURIComponent(l.assessmentId!)}`)));
    const horizon = isoDateAfterDays(Date.now(), 90);
    const expiring: { line: RegisterLine; fileName: string; stale: string }[] = [];
    views.forEach((view, i) => {
      const line = withAssessment[i]!;
      for (const d of view?.documents ?? []) {
        const stale = staleFrom(d);
        if (stale !== null && stale <= horizon) expiring.push({ line, fileName: d.fileName, stale });
      }
    });
    fill(
      'expiring',
      table(
        [
          { label: 'Vendor', cell: (x) => vendorLink(x.line.vendorId, x.line.vendorName) },
          { label: 'Report', cell: (x) => x.fileName },
          { label: 'Stale from', cell: (x) => x.stale + (x.stale < now ? ' (expired)' : '') },
        ],
        expiring,
        'No reports expire in the next 90 days.',
      ),
    );
  });
}

const MAIL_URL = /(https?:\/\/[^\s]+)/;

export function outboxPage(): void {
  void load<ItemsOf<SentMail>>('/api/dev/outbox?limit=50').then((res) => {
    const mails = itemsOf(res);
    fill(
      'outbox',
      mails.length
        ? mails.map((m) => {
            const text = h('div', { class: 'mail-text' });
            m.text.split(MAIL_URL).forEach((part, i) => text.appendChild(i % 2 === 1 ? link(part, part) : document.createTextNode(part)));
            text.querySelectorAll('a').forEach((a) => a.setAttribute('rel', 'noreferrer'));
            return h('article', { class: 'card mail' }, h('h2', { text: m.subject }), facts([['To', m.to.join(', ')], ['From', m.from], ['Sent', formatDateTime(m.sentAt)], ['Purpose', label(m.purpose)]]), text);
          })
        : h('p', { class: 'muted', text: 'No mail yet.' }),
    );
  });
}
