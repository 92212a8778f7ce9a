/** The staff pages' script: sign-in, vendors, assessments, review, dashboard and outbox, all over the JSON API. */
export const STAFF_JS = String.raw`
'use strict';
(function () {
  var TG = window.TG, h = TG.h, $ = TG.$;
  var HOME = { procurement: '/vendors', security: '/review', admin: '/dashboard' };

  function q(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) { if (params[k] !== '' && params[k] !== undefined && params[k] !== null) parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k])); });
    return parts.length ? '?' + parts.join('&') : '';
  }
  function link(href, text) { return h('a', { href: href, text: text }); }
  function vendorLink(id, name) { return link('/vendors/' + encodeURIComponent(id), name); }
  function assessmentLink(id, text) { return link('/assessments/' + encodeURIComponent(id), text); }
  function items(data) { return (data && data.items) || []; }
  function formValues(form) {
    var out = {};
    new FormData(form).forEach(function (value, key) {
      if (key in out) { out[key] = [].concat(out[key], value); } else out[key] = value;
    });
    return out;
  }

  /**
   * Where to go after sign-in: "next" only if the URL parser, which is what location.assign uses, reads it as a URL of
   * this site. It drops tabs and newlines and reads a backslash as a slash, so a check of the first characters is not
   * enough: "/<tab>/host" becomes //host. Returns the parsed path, so what is visited is what was checked; else null.
   */
  function sameSitePath(next) {
    if (typeof next !== 'string' || next.charAt(0) !== '/') return null;
    var url;
    try { url = new URL(next, location.origin); } catch (e) { return null; }
    return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
  }

  var pages = {};

  pages['sign-in'] = function () {
    var hosted = $('hosted-sign-in');
    if (hosted) hosted.addEventListener('click', function () { hostedSignIn(hosted); });
    document.querySelectorAll('[data-sign-in]').forEach(function (button) {
      button.addEventListener('click', function () {
        var role = button.getAttribute('data-sign-in');
        button.disabled = true;
        TG.api('staff', 'POST', '/auth/local/sign-in', { role: role }).then(function (r) {
          button.disabled = false;
          if (!r.ok) return TG.showProblem(r.data);
          TG.setToken('staff', r.data.token);
          var next = new URLSearchParams(location.search).get('next');
          location.assign(sameSitePath(next) || HOME[role] || '/vendors');
        });
      });
    });
  };

  // AWS: the Cognito hosted UI with the authorization code flow and PKCE (no client secret in a browser).
  function base64url(bytes) {
    var text = '';
    new Uint8Array(bytes).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function hostedSignIn(button) {
    var verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    var stateValue = base64url(crypto.getRandomValues(new Uint8Array(16)));
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then(function (digest) {
      sessionStorage.setItem('trustgate.pkce', JSON.stringify({ verifier: verifier, state: stateValue, next: new URLSearchParams(location.search).get('next') || '' }));
      var params = new URLSearchParams({ response_type: 'code', client_id: button.getAttribute('data-client-id'), redirect_uri: location.origin + '/auth/callback',
        scope: 'openid email profile', state: stateValue, code_challenge: base64url(digest), code_challenge_method: 'S256' });
      location.assign(button.getAttribute('data-domain') + '/oauth2/authorize?' + params.toString());
    });
  }
  pages['auth-callback'] = function () {
    var el = $('callback'), query = new URLSearchParams(location.search);
    var saved = JSON.parse(sessionStorage.getItem('trustgate.pkce') || 'null');
    sessionStorage.removeItem('trustgate.pkce');
    history.replaceState(null, '', location.pathname);
    if (!saved || !query.get('code') || query.get('state') !== saved.state) return TG.status('The sign-in could not be completed; start again from the sign-in page.', true);
    var body = new URLSearchParams({ grant_type: 'authorization_code', client_id: el.getAttribute('data-client-id'), code: query.get('code'), redirect_uri: location.origin + '/auth/callback', code_verifier: saved.verifier });
    fetch(el.getAttribute('data-domain') + '/oauth2/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(), credentials: 'omit' })
      .then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); })
      .then(function (r) {
        if (!r.ok || !r.data.id_token) return TG.status('The sign-in was refused; start again from the sign-in page.', true);
        TG.setToken('staff', r.data.id_token);
        var role = TG.roles()[0];
        location.assign(sameSitePath(saved.next) || HOME[role] || '/vendors');
      }, function () { TG.status('The sign-in service could not be reached; try again.', true); });
  };

  pages.vendors = function () {
    var form = $('vendor-filters');
    var cursor = null, rows = [], register = {};
    function load(append) {
      var v = formValues(form);
      var query = q({ q: v.q ? String(v.q).trim() : '', tier: v.tier, criticality: v.criticality, status: v.status, limit: 100, cursor: append ? cursor : '' });
      Promise.all([TG.load('staff', '/api/vendors' + query), append ? Promise.resolve(null) : TG.load('staff', '/api/assessments?open=true&limit=100')]).then(function (res) {
        if (!res[0]) return;
        // The register lines of this page's vendors only: one bounded read, whatever the portfolio's size.
        var ids = res[0].items.map(function (v) { return v.id; });
        return (ids.length ? TG.load('staff', '/api/risk-register/lines' + q({ vendorIds: ids.join(',') })) : Promise.resolve(null)).then(function (lines) {
          return [res[0], lines, res[1]];
        });
      }).then(function (res) {
        if (!res) return;
        if (!append) register = {};
        if (res[1]) items(res[1]).forEach(function (line) { register[line.vendorId] = line; });
        if (res[2]) items(res[2]).forEach(function (a) {
          var line = register[a.vendorId];
          if (!line || !line.assessmentId) register[a.vendorId] = Object.assign({}, line || { rating: null, nextReviewDate: null }, { assessmentId: a.id, assessmentStatus: a.status });
        });
        rows = append ? rows.concat(res[0].items) : res[0].items;
        cursor = res[0].nextCursor;
        TG.fill('vendor-list', [
          TG.table([
            { label: 'Name', cell: function (v) { return vendorLink(v.id, v.name); } },
            { label: 'Tier', cell: function (v) { return 'Tier ' + v.inherentRisk.tier; } },
            { label: 'Rating', cell: function (v) { var r = register[v.id]; return r && r.rating ? TG.badge(r.rating, 'rating') : 'Not rated'; } },
            { label: 'Status', cell: function (v) { return TG.label(v.status); } },
            { label: 'Assessment', cell: function (v) { var r = register[v.id]; return r && r.assessmentId ? assessmentLink(r.assessmentId, TG.label(r.assessmentStatus)) : '—'; } },
            { label: 'Next review', cell: function (v) { var r = register[v.id]; return TG.date(r && r.nextReviewDate); } },
          ], rows, 'No vendors match.'),
          cursor ? h('p', null, h('button', { type: 'button', onclick: function () { load(true); }, text: 'Show more' })) : null,
        ]);
      });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); load(false); });
    form.addEventListener('change', function () { load(false); });
    load(false);
  };

  pages['vendor-new'] = function () {
    var form = $('intake');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var v = formValues(form);
      var body = { name: v.name, website: v.website, contactEmail: v.contactEmail, criticality: v.criticality, dataClassification: v.dataClassification,
        dataTypes: [].concat(v.dataTypes || []), systemAccess: v.systemAccess, recordVolume: v.recordVolume };
      ['contactName', 'description', 'businessOwner'].forEach(function (k) { if (v[k] && String(v[k]).trim()) body[k] = v[k]; });
      TG.api('staff', 'POST', '/api/vendors', body).then(function (r) {
        if (!r.ok) return TG.showProblem(r.data, 'form-errors');
        location.assign('/vendors/' + encodeURIComponent(r.data.id));
      });
    });
  };

  /** The facts as security corrected them (the analysis as extracted when nothing was corrected). */
  function effective(doc) { return doc.effectiveAnalysis || doc.analysis; }

  function documentsOf(views) {
    var docs = [];
    views.forEach(function (view) { if (view) (view.documents || []).forEach(function (d) { docs.push({ doc: d, assessment: view.assessment }); }); });
    return docs;
  }

  pages.vendor = function () {
    var id = TG.pathId();
    TG.load('staff', '/api/vendors/' + encodeURIComponent(id)).then(function (vendor) {
      if (!vendor) return TG.status('No such vendor.', true);
      document.title = vendor.name + ' · trustgate';
      TG.fill(document.querySelector('h1'), vendor.name);
      var risk = vendor.inherentRisk;
      TG.fill('profile-body', TG.facts([
        ['Tier', 'Tier ' + risk.tier + ' (inherent risk ' + risk.score + ')'],
        ['Why this tier', risk.tierReason],
        ['Status', TG.label(vendor.status)],
        ['Website', vendor.website],
        ['Security contact', (vendor.contactName ? vendor.contactName + ', ' : '') + vendor.contactEmail],
        ['What we buy', vendor.description],
        ['Criticality', TG.label(vendor.criticality)],
        ['Data shared', TG.label(vendor.dataClassification) + (vendor.dataTypes.length ? ': ' + vendor.dataTypes.join(', ') : '')],
        ['Access to our systems', TG.label(vendor.systemAccess)],
        ['Records shared', vendor.recordVolume],
        ['Business owner', vendor.businessOwner],
      ]));
      if (TG.hasRole('procurement', 'admin')) setUpStart(vendor);
    });
    TG.load('staff', '/api/assessments' + q({ vendorId: id, limit: 100 })).then(function (page) {
      var list = items(page);
      TG.fill('history', TG.table([
        { label: 'Started', cell: function (a) { return assessmentLink(a.id, TG.date(a.createdAt)); } },
        { label: 'Status', cell: function (a) { return TG.label(a.status); } },
        { label: 'Due', cell: function (a) { return TG.date(a.dueDate); } },
        { label: 'Decision', cell: function (a) { return a.lastDecision ? TG.label(a.lastDecision.decision) : '—'; } },
        { label: 'Next review', cell: function (a) { return TG.date(a.nextReviewDate); } },
      ], list, 'No assessments yet.'));
      var recent = list.slice(0, 5);
      Promise.all(recent.map(function (a) { return TG.load('staff', '/api/assessments/' + encodeURIComponent(a.id)); })).then(function (views) {
        var docs = documentsOf(views);
        TG.fill('documents', TG.table([
          { label: 'File', cell: function (d) { return d.doc.fileName; } },
          { label: 'Kind', cell: function (d) { return TG.label(d.doc.kind); } },
          { label: 'Analysis', cell: function (d) { return TG.label(d.doc.analysisStatus); } },
          { label: 'Period', cell: function (d) { var p = effective(d.doc) && effective(d.doc).period; return p ? TG.date(p.start) + ' to ' + TG.date(p.end) : '—'; } },
          { label: 'Assessment', cell: function (d) { return assessmentLink(d.assessment.id, TG.date(d.assessment.createdAt)); } },
        ], docs, 'No documents yet.'));
        var orgs = {};
        docs.forEach(function (d) { ((effective(d.doc) && effective(d.doc).subserviceOrganizations) || []).forEach(function (s) { orgs[s.name] = s; }); });
        var names = Object.keys(orgs).sort();
        TG.fill('subservice', names.length ? h('ul', null, names.map(function (n) { return h('li', null, n + ' (' + TG.label(orgs[n].method) + ')' + (orgs[n].services ? ': ' + orgs[n].services : '')); })) : h('p', { class: 'muted', text: 'None reported yet.' }));
      });
      Promise.all(recent.map(function (a) { return TG.load('staff', '/api/assessments/' + encodeURIComponent(a.id) + '/findings'); })).then(function (results) {
        var all = [];
        results.forEach(function (r, i) { items(r).forEach(function (f) { all.push({ f: f, a: recent[i] }); }); });
        TG.fill('findings', TG.table([
          { label: 'Severity', cell: function (x) { return TG.badge(x.f.severity, 'sev'); } },
          { label: 'Finding', cell: function (x) { return x.f.title; } },
          { label: 'Status', cell: function (x) { return TG.label(x.f.status); } },
          { label: 'Due', cell: function (x) { return TG.date(x.f.dueDate); } },
          { label: 'Assessment', cell: function (x) { return assessmentLink(x.a.id, TG.date(x.a.createdAt)); } },
        ], all, 'No findings.'));
      });
    });

    function setUpStart(vendor) {
      $('start').hidden = false;
      $('f-dueDate').value = TG.addDays(30);
      $('f-dueDate').min = TG.addDays(1);
      Promise.all([TG.load('staff', '/api/questionnaires'), TG.load('staff', '/api/vendors/' + encodeURIComponent(vendor.id) + '/questionnaire-selection')]).then(function (res) {
        var chosen = {};
        items(res[1]).forEach(function (s) { chosen[s.templateId] = s.reasons.join('; '); });
        TG.fill('template-choices', items(res[0]).map(function (t) {
          return h('label', { class: 'choice' }, h('input', { type: 'checkbox', name: 'templates', value: t.id, checked: t.id in chosen }),
            ' ' + t.title + ' (' + t.questionCount + ' questions)');
        }));
      });
      $('start-form').addEventListener('submit', function (e) {
        e.preventDefault();
        var v = formValues(e.target);
        var templates = [].concat(v.templates || []);
        if (templates.length === 0) return TG.fill('start-errors', h('li', { text: 'Choose at least one questionnaire.' }));
        TG.api('staff', 'POST', '/api/assessments', { vendorId: vendor.id, templates: templates, dueDate: v.dueDate }).then(function (r) {
          if (!r.ok) return TG.showProblem(r.data, 'start-errors');
          location.assign('/assessments/' + encodeURIComponent(r.data.id));
        });
      });
    }
  };

  function contributionChart(contributions) {
    var max = 1;
    contributions.forEach(function (c) { max = Math.max(max, Math.abs(c.points)); });
    var sorted = contributions.filter(function (c) { return c.points !== 0; }).sort(function (a, b) { return Math.abs(b.points) - Math.abs(a.points); });
    var zero = contributions.filter(function (c) { return c.points === 0; });
    return [h('ul', { class: 'chart', 'aria-label': 'Score contributions' }, sorted.map(function (c) {
      var bar = h('span', { class: 'bar' + (c.points < 0 ? ' neg' : ''), 'aria-hidden': 'true' });
      bar.style.width = Math.max(1, Math.round((Math.abs(c.points) / max) * 100)) + '%';
      return h('li', null, h('span', null, c.description, sourceText(c.source)), h('span', { class: 'pts', text: (c.points > 0 ? '+' : '') + c.points }), bar);
    })), zero.length ? h('details', null, h('summary', { text: zero.length + ' more contribution(s) of 0 points' }),
      h('ul', null, zero.map(function (c) { return h('li', null, c.description, sourceText(c.source)); }))) : null];
  }
  function sourceText(source) {
    if (!source || typeof source !== 'object') return null;
    var parts = [];
    if (source.fileName) parts.push(source.fileName);
    if (source.kind === 'document' && source.field) parts.push(source.field);
    if (source.page) parts.push('page ' + source.page);
    if (source.questionId) parts.push('question ' + source.questionId);
    if (source.answer) parts.push('answer "' + source.answer + '"');
    if (source.kind === 'profile') parts.push('profile: ' + source.field + ' = ' + source.value);
    if (source.kind === 'policy') parts.push('policy: ' + source.rule);
    return parts.length ? h('span', { class: 'muted', text: ' (' + parts.join(', ') + ')' }) : null;
  }

  // Security's corrections of extracted facts. The server owns the list of correctable fields and validates every
  // value; here each field gets an editor (a JSON text for any field without its own) and shows what was extracted.
  var FACT_LABELS = { documentKind: 'Document', reportType: 'Report type', serviceOrganization: 'Service organization', serviceAuditor: 'Auditor',
    systemName: 'System', period: 'Period', opinion: 'Opinion', trustServicesCategories: 'Categories', subserviceOrganizations: 'Subservice organizations',
    exceptions: 'Exceptions', complementaryUserEntityControls: 'User entity controls (CUECs)' };
  var CHOICES = { documentKind: ['soc2', 'soc1', 'soc3', 'bridge-letter', 'iso27001', 'unknown'], reportType: ['', 'type1', 'type2'],
    opinion: ['', 'unqualified', 'qualified', 'adverse', 'disclaimer'] };
  var CATEGORIES = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];
  var TEXT_FIELDS = ['serviceOrganization', 'serviceAuditor', 'systemName'];
  var CLOSED_STATUSES = ['analyzing', 'approved', 'approved-with-conditions', 'rejected', 'cancelled'];

  function factText(field, value) {
    if (value === null || value === undefined || value === '') return '—';
    if (field === 'period') return (value.start ? value.start + ' to ' : 'as of ') + value.end;
    if (field === 'documentKind' || field === 'reportType' || field === 'opinion') return TG.label(value);
    if (field === 'trustServicesCategories') return value.length ? value.join(', ') : '—';
    if (field === 'subserviceOrganizations') return value.length ? value.map(function (s) { return s.name + ' (' + s.method + ')'; }).join('; ') : 'None';
    if (field === 'exceptions') return value.length + ' exception(s)';
    if (field === 'complementaryUserEntityControls') return value.length + ' control(s)';
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  function uid(name) { return 'f-' + name + '-' + Math.random().toString(36).slice(2, 8); }
  function labelled(labelText, control) { return h('div', { class: 'field' }, h('label', { for: control.id, text: labelText }), control); }

  /** The inputs for a field's new value and how to read the value back (throws a message when it cannot). */
  function editorFor(field, current) {
    if (CHOICES[field]) {
      var select = h('select', { id: uid(field), name: 'value' }, CHOICES[field].map(function (v) { return h('option', { value: v, text: v ? TG.label(v) : '(not stated)', selected: (current || '') === v }); }));
      return { nodes: labelled('New value', select), read: function () { return select.value === '' ? null : select.value; } };
    }
    if (TEXT_FIELDS.indexOf(field) >= 0) {
      var input = h('input', { id: uid(field), name: 'value', type: 'text', value: current || '', maxlength: '300' });
      return { nodes: labelled('New value (empty: not stated)', input), read: function () { return input.value.trim() === '' ? null : input.value.trim(); } };
    }
    if (field === 'period') {
      var start = h('input', { id: uid('start'), type: 'date', value: (current && current.start) || '' });
      var end = h('input', { id: uid('end'), type: 'date', value: (current && current.end) || '' });
      return { nodes: [labelled('Start (empty for a Type 1: as of the end date)', start), labelled('End (empty: no period stated)', end)],
        read: function () { return end.value ? { start: start.value || null, end: end.value } : null; } };
    }
    if (field === 'trustServicesCategories') {
      var boxes = CATEGORIES.map(function (c) { return h('input', { type: 'checkbox', value: c, checked: (current || []).indexOf(c) >= 0 }); });
      return { nodes: h('fieldset', { class: 'field' }, h('legend', { text: 'Categories in scope' }), boxes.map(function (b) { return h('label', { class: 'choice' }, b, ' ' + TG.label(b.value)); })),
        read: function () { return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); } };
    }
    if (field === 'complementaryUserEntityControls') {
      var lines = h('textarea', { id: uid(field), rows: 6, value: (current || []).join('\n') });
      return { nodes: labelled('One control per line', lines), read: function () { return lines.value.split('\n').map(function (l) { return l.trim(); }).filter(Boolean); } };
    }
    var json = h('textarea', { id: uid(field), rows: 8, class: 'code', value: JSON.stringify(current === undefined ? null : current, null, 2) });
    return { nodes: labelled('New value (JSON, as in the analysis)', json), read: function () {
      try { return JSON.parse(json.value); } catch (e) { throw new Error('The value is not valid JSON: ' + e.message, { cause: e }); }
    } };
  }

  function correctionForm(ctx, doc, field, current, corrected) {
    var path = ctx.base + '/documents/' + encodeURIComponent(doc.id) + '/corrections/' + encodeURIComponent(field);
    var ifMatch = { 'if-match': '"' + doc.version + '"' };
    function after(r) {
      if (r.status === 412) { TG.status('Someone changed these facts meanwhile: the page now shows the current ones. Check them and try again.', true); return ctx.reload(); }
      if (!r.ok) return TG.showProblem(r.data, errorsId);
      TG.status('Saved: ' + (FACT_LABELS[field] || field) + '. The residual risk, findings and tasks were computed again.');
      ctx.reload();
    }
    var errorsId = uid('errors');
    var editor = editorFor(field, current);
    var reason = h('textarea', { id: uid('reason'), name: 'reason', rows: 2, required: true, maxlength: '2000' });
    var form = h('form', { class: 'stack' }, editor.nodes, labelled('Why (what the report says, and where)', reason), h('ul', { id: errorsId, class: 'errors' }),
      h('button', { type: 'submit', text: 'Save correction' }));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var value;
      try { value = editor.read(); } catch (err) { return TG.fill(errorsId, h('li', { text: err.message })); }
      TG.api('staff', 'PUT', path, { value: value, reason: reason.value }, ifMatch).then(after);
    });
    var controls = [h('details', { class: 'correct' }, h('summary', { text: 'Correct' }), form)];
    if (corrected) {
      var why = h('input', { id: uid('revert'), type: 'text', required: true, maxlength: '2000' });
      var revert = h('form', { class: 'stack' }, labelled('Why revert', why), h('button', { type: 'submit', text: 'Revert to the extracted value' }));
      revert.addEventListener('submit', function (e) {
        e.preventDefault();
        TG.api('staff', 'DELETE', path + '?reason=' + encodeURIComponent(why.value), undefined, ifMatch).then(after);
      });
      controls.push(h('details', { class: 'correct' }, h('summary', { text: 'Revert' }), revert));
    }
    return controls;
  }

  function downloadCorpusCase(ctx, doc) {
    TG.api('staff', 'GET', ctx.base + '/documents/' + encodeURIComponent(doc.id) + '/corrections/corpus-case').then(function (r) {
      if (!r.ok) return TG.showProblem(r.data);
      var url = URL.createObjectURL(new Blob([JSON.stringify(r.data, null, 2) + '\n'], { type: 'application/json' }));
      var a = h('a', { href: url, download: r.data.caseName + '.label.json' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      TG.status('Downloaded. Add it to a corpus with: npx trustgate corpus add ' + r.data.caseName + ' --label ' + r.data.caseName + '.label.json --pdf <the PDF>' +
        (r.data.warnings.length ? ' (' + r.data.warnings.join('; ') + ')' : ''));
    });
  }

  function analysisView(doc, ctx) {
    var original = doc.analysis;
    var a = doc.effectiveAnalysis || original;
    var head = h('h3', { text: doc.fileName + ' (' + TG.label(doc.kind) + ')' });
    if (!a) return h('div', null, head, h('p', { class: 'muted', text: 'Analysis: ' + TG.label(doc.analysisStatus) + (doc.analysisError ? ' (' + doc.analysisError.message + ')' : '') }));
    var evidence = original.evidence || {};
    var corrections = {};
    (doc.corrections || []).forEach(function (c) { corrections[c.field] = c; });
    var editable = ctx.reviewer && CLOSED_STATUSES.indexOf(ctx.status) < 0 && doc.analysisStatus === 'analyzed';
    function quote(field) {
      var ev = evidence[field];
      return ev ? h('blockquote', { class: 'quote' }, '“' + ev.quote + '” ', h('span', { class: 'muted', text: '(page ' + ev.page + ')' })) : null;
    }
    function fact(field) {
      var c = corrections[field];
      return [FACT_LABELS[field] || TG.label(field), h('div', { 'data-field': field },
        h('div', null, factText(field, a[field]), c ? [' ', h('span', { class: 'badge corrected', text: 'Corrected' })] : null),
        c ? h('p', { class: 'muted correction', text: 'Extracted: ' + factText(field, original[field]) + '. Corrected by ' + c.correctedBy + ', ' + TG.dateTime(c.correctedAt) + ': ' + c.reason }) : null,
        quote(field),
        editable ? correctionForm(ctx, doc, field, a[field], !!c) : null)];
    }
    var shown = ['documentKind', 'reportType', 'serviceOrganization', 'serviceAuditor', 'systemName', 'period', 'opinion', 'trustServicesCategories', 'complementaryUserEntityControls'];
    var others = Object.keys(corrections).filter(function (f) { return shown.indexOf(f) < 0 && f !== 'exceptions' && f !== 'subserviceOrganizations'; });
    return h('div', { class: 'analysis' }, head,
      TG.facts(shown.filter(function (f) { return f !== 'systemName' || a.systemName !== undefined || editable; }).map(fact).concat(others.map(fact), [
        ['Controls tested', h('div', null, a.controlsTested === null ? '—' : String(a.controlsTested), quote('controlsTested'))],
        ['Pages', String(a.pages)],
      ])),
      h('h4', { text: 'Exceptions' }),
      TG.facts([fact('exceptions')]),
      a.exceptions === null ? h('p', { class: 'muted', text: 'No tests of controls section found.' }) :
        TG.table([
          { label: 'Control', cell: function (x) { return x.controlId || '—'; } },
          { label: 'Exception', cell: function (x) { return x.description; } },
          { label: 'Criteria', cell: function (x) { return (x.criteria || []).join(', ') || '—'; } },
          { label: 'Management response', cell: function (x) { return x.managementResponse || '—'; } },
          { label: 'Page', cell: function (x) { return String(x.page); } },
        ], a.exceptions, 'No exceptions noted.'),
      h('h4', { text: 'Subservice organizations' }),
      TG.facts([fact('subserviceOrganizations')]),
      (a.subserviceOrganizations || []).length ? h('ul', null, a.subserviceOrganizations.map(function (s) { return h('li', { text: s.name + ' (' + s.method + ')' + (s.services ? ': ' + s.services : '') }); })) : null,
      (a.warnings || []).length ? h('ul', { class: 'errors' }, a.warnings.map(function (w) { return h('li', { text: w }); })) : null,
      ctx.reviewer && doc.analysisStatus === 'analyzed' ? h('p', { class: 'actions' }, h('button', { type: 'button', text: 'Download as corpus case', onclick: function () { downloadCorpusCase(ctx, doc); } })) : null);
  }

  function actionForm(summary, fields, submit) {
    var form = h('form', { class: 'stack' }, fields, h('button', { type: 'submit', text: summary }));
    form.addEventListener('submit', function (e) { e.preventDefault(); submit(formValues(form)); });
    return h('details', null, h('summary', { text: summary }), form);
  }
  function textField(name, labelText, type) {
    var fid = 'f-' + name + '-' + Math.random().toString(36).slice(2, 8);
    return h('div', { class: 'field' }, h('label', { for: fid, text: labelText }), type === 'area' ? h('textarea', { id: fid, name: name, rows: 2, required: true }) : h('input', { id: fid, name: name, type: type || 'text', required: true }));
  }

  pages.assessment = function () {
    var id = TG.pathId();
    var base = '/api/assessments/' + encodeURIComponent(id);
    var reviewer = TG.hasRole('security', 'admin');
    function act(path, body, after) {
      return TG.api('staff', 'POST', base + path, body).then(function (r) {
        if (!r.ok) { TG.showProblem(r.data); return; }
        TG.status('Saved.');
        after();
      });
    }
    function loadView() {
      TG.load('staff', base).then(function (view) {
        if (!view) return TG.status('No such assessment.', true);
        var a = view.assessment;
        TG.fill(document.querySelector('h1'), 'Assessment of ' + a.vendorName);
        document.title = a.vendorName + ' assessment · trustgate';
        TG.fill('summary', TG.facts([
          ['Vendor', vendorLink(a.vendorId, a.vendorName + ' (tier ' + a.vendorTier + ')')],
          ['Status', TG.badge(a.status)],
          ['Needs attention', a.attentionReason],
          ['Questionnaires', a.templates.map(function (t) { return t.id + ' ' + t.version; }).join(', ')],
          ['Vendor contact', a.contactEmail],
          ['Due', TG.date(a.dueDate) + (a.reminders.overdue ? ' (overdue)' : '') + ', reminders sent: ' + a.reminders.sent],
          ['Submitted', TG.dateTime(a.submittedAt)],
          ['Decision', a.lastDecision ? TG.label(a.lastDecision.decision) + ': ' + a.lastDecision.comment + (a.lastDecision.automatic ? ' (automatic)' : '') : null],
          ['Next review', TG.date(a.nextReviewDate)],
        ]));
        $('procurement-actions').hidden = !(TG.hasRole('procurement', 'admin') && ['inviting', 'awaiting-vendor', 'overdue'].indexOf(a.status) >= 0);
        $('decide').hidden = !(reviewer && a.status === 'awaiting-review');
        var unread = (view.documents || []).some(function (d) { return d.analysisStatus === 'failed'; });
        $('retry-actions').hidden = !(a.status === 'needs-attention' || (a.status === 'awaiting-review' && unread));
        var ctx = { base: base, reviewer: reviewer, status: a.status, reload: loadView };
        TG.fill('analysis', (view.documents || []).length ? view.documents.map(function (d) { return analysisView(d, ctx); }) : h('p', { class: 'muted', text: 'No documents uploaded yet.' }));
        TG.fill('timeline', view.timeline.slice().reverse().map(function (ev) {
          return h('li', null, h('time', { datetime: ev.at, text: TG.dateTime(ev.at) }), ' · ', ev.summary, h('span', { class: 'muted', text: ' (' + ev.actor + ')' }));
        }));
      });
      TG.load('staff', base + '/score').then(function (res) {
        var s = res && res.score;
        if (!s) return TG.fill('score', h('p', { class: 'muted', text: 'Not scored yet: the score appears once the vendor has submitted and the evidence is analyzed.' }));
        var rating = (s.override && s.override.rating) || s.rating;
        TG.fill('score', [
          h('p', { class: 'score-line' }, 'Residual risk ', h('strong', { text: String(s.score) }), ' · rating ', TG.badge(rating, 'rating'),
            s.override ? h('span', { class: 'muted', text: ' (overridden; computed ' + s.rating + ')' }) : null,
            h('span', { class: 'muted', text: ' · policy ' + s.policyVersion })),
          contributionChart(s.contributions || []),
        ]);
      });
      loadFindings();
      loadTasks();
    }
    function loadFindings() {
      TG.load('staff', base + '/findings').then(function (res) {
        TG.fill('findings', TG.table([
          { label: 'Severity', cell: function (f) { return TG.badge(f.severity, 'sev'); } },
          { label: 'Finding', cell: function (f) { return h('div', null, h('strong', { text: f.title }), h('div', { text: f.detail }), f.recommendedRemediation ? h('div', { class: 'muted', text: 'Remediation: ' + f.recommendedRemediation }) : null); } },
          { label: 'Owner', cell: function (f) { return TG.label(f.owner); } },
          { label: 'Due', cell: function (f) { return TG.date(f.dueDate); } },
          { label: 'Status', cell: function (f) { return TG.label(f.status) + (f.riskAcceptance ? ' until ' + f.riskAcceptance.expiresOn : ''); } },
          { label: 'Actions', cell: function (f) {
            if (!reviewer || f.status === 'closed') return '—';
            var path = '/findings/' + encodeURIComponent(f.id);
            return h('div', null,
              f.status === 'open' ? actionForm('Accept risk', [textField('justification', 'Justification', 'area'), textField('expiresOn', 'Acceptance expires on', 'date')], function (v) {
                act(path, { kind: 'accept-risk', justification: v.justification, expiresOn: v.expiresOn }, loadFindings);
              }) : null,
              f.status !== 'remediated' ? actionForm('Mark remediated', [textField('note', 'What was done', 'area')], function (v) { act(path, { kind: 'remediate', note: v.note }, loadFindings); }) : null);
          } },
        ], items(res), 'No findings.'));
      });
    }
    function loadTasks() {
      TG.load('staff', base + '/tasks').then(function (res) {
        TG.fill('tasks', TG.table([
          { label: 'Control we operate', cell: function (t) { return t.text; } },
          { label: 'Source', cell: function (t) { return t.fileName + (t.page ? ', page ' + t.page : ''); } },
          { label: 'Status', cell: function (t) { return TG.label(t.status) + (t.assignee ? ' (' + t.assignee + ')' : ''); } },
          { label: 'Actions', cell: function (t) {
            if (t.status === 'done' || t.status === 'not-applicable') return '—';
            var path = '/tasks/' + encodeURIComponent(t.id);
            return actionForm('Mark done', [textField('note', 'How we operate it', 'area')], function (v) { act(path, { kind: 'complete', note: v.note }, loadTasks); });
          } },
        ], items(res), 'No CUEC tasks (they come from the SOC 2 report once analyzed).'));
      });
    }
    $('resend').addEventListener('click', function () {
      TG.api('staff', 'POST', base + '/resend-invite').then(function (r) {
        if (!r.ok) return TG.showProblem(r.data);
        TG.status('A new link was sent to ' + r.data.sentTo + '; earlier links no longer work.');
        loadView();
      });
    });
    $('retry').addEventListener('click', function () {
      TG.api('staff', 'POST', base + '/retry').then(function (r) {
        if (!r.ok) return TG.showProblem(r.data);
        TG.status('Analysis retried: documents that could not be read are read again.');
        loadView();
      });
    });
    var form = $('decision-form');
    form.addEventListener('change', function () { $('conditions-field').hidden = formValues(form).decision !== 'approved-with-conditions'; });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var v = formValues(form);
      var body = { decision: v.decision, comment: v.comment, conditions: v.decision === 'approved-with-conditions' ? [{ description: v.condition, dueDate: v.conditionDue }] : [] };
      TG.api('staff', 'POST', base + '/decision', body).then(function (r) {
        if (!r.ok) return TG.showProblem(r.data, 'decision-errors');
        TG.fill('decision-errors', null);
        TG.status('Decision recorded: ' + TG.label(r.data.status) + '.');
        loadView();
      });
    });
    loadView();
  };

  pages.review = function () {
    TG.load('staff', '/api/assessments' + q({ status: 'awaiting-review', limit: 100 })).then(function (queue) {
      var ids = items(queue).map(function (a) { return a.vendorId; });
      return (ids.length ? TG.load('staff', '/api/risk-register/lines' + q({ vendorIds: ids.join(',') })) : Promise.resolve(null)).then(function (lines) { return [queue, lines]; });
    }).then(function (res) {
      var byAssessment = {};
      items(res[1]).forEach(function (line) { if (line.assessmentId) byAssessment[line.assessmentId] = line; });
      var rows = items(res[0]).map(function (a) { return { a: a, r: byAssessment[a.id] || null }; });
      rows.sort(function (x, y) {
        var sx = x.r && x.r.score !== null ? x.r.score : -1, sy = y.r && y.r.score !== null ? y.r.score : -1;
        return sy - sx || (x.a.dueDate < y.a.dueDate ? -1 : x.a.dueDate > y.a.dueDate ? 1 : 0);
      });
      TG.fill('queue', TG.table([
        { label: 'Vendor', cell: function (x) { return assessmentLink(x.a.id, x.a.vendorName); } },
        { label: 'Tier', cell: function (x) { return 'Tier ' + x.a.vendorTier; } },
        { label: 'Residual risk', cell: function (x) { return x.r && x.r.score !== null ? h('span', null, String(x.r.score) + ' ', TG.badge(x.r.rating, 'rating')) : 'Not scored'; } },
        { label: 'Open findings', cell: function (x) { return x.r ? String(x.r.openFindings) : '—'; } },
        { label: 'Due', cell: function (x) { return TG.date(x.a.dueDate); } },
        { label: 'Submitted', cell: function (x) { return TG.date(x.a.submittedAt); } },
      ], rows, 'Nothing waits for review.'));
    });
  };

  function addMonths(date, months) {
    var d = new Date(date + 'T00:00:00Z');
    d.setUTCMonth(d.getUTCMonth() + months);
    return d.toISOString().slice(0, 10);
  }

  pages.dashboard = function () {
    // Portfolio figures come from the server's maintained counts; the report expiry list reads the 50 soonest reviews.
    Promise.all([TG.load('staff', '/api/risk-register/dashboard'), TG.load('staff', '/api/assessments' + q({ open: 'true', limit: 100 })),
      TG.load('staff', '/api/risk-register' + q({ sort: 'next-review', limit: 50 }))]).then(function (res) {
      var figures = res[0] || { byRating: {}, subserviceConcentration: [], overdueReviews: 0, dueReviews: 0, dueWithinDays: 30 };
      var lines = items(res[2]);
      var counts = { critical: 0, high: 0, medium: 0, low: 0, unrated: 0 };
      Object.keys(counts).forEach(function (k) { counts[k] = figures.byRating[k] || 0; });
      var max = 1;
      Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
      TG.fill('ratings', [h('ul', { class: 'chart', 'aria-label': 'Vendors by rating' }, Object.keys(counts).map(function (k) {
        var bar = h('span', { class: 'bar' + (k === 'low' ? ' neg' : ''), 'aria-hidden': 'true' });
        bar.style.width = Math.round((counts[k] / max) * 100) + '%';
        return h('li', null, h('span', { text: TG.label(k) }), h('span', { class: 'pts', text: String(counts[k]) }), bar);
      })), h('p', { class: 'muted', text: figures.overdueReviews + ' review(s) overdue, ' + figures.dueReviews + ' due within ' + figures.dueWithinDays + ' days.' })]);
      var today = TG.today();
      var overdue = items(res[1]).filter(function (a) { return a.status === 'overdue' || a.reminders.overdue || a.dueDate < today; });
      TG.fill('overdue', TG.table([
        { label: 'Vendor', cell: function (a) { return assessmentLink(a.id, a.vendorName); } },
        { label: 'Due', cell: function (a) { return TG.date(a.dueDate); } },
        { label: 'Status', cell: function (a) { return TG.label(a.status); } },
      ], overdue, 'No overdue assessments.'));
      var withAssessment = lines.filter(function (l) { return l.assessmentId; }).slice(0, 50);
      Promise.all(withAssessment.map(function (l) { return TG.load('staff', '/api/assessments/' + encodeURIComponent(l.assessmentId)); })).then(function (views) {
        var horizon = TG.addDays(90), expiring = [];
        views.forEach(function (view, i) {
          if (!view) return;
          var line = withAssessment[i];
          (view.documents || []).forEach(function (d) {
            var a = effective(d);
            if (!a) return;
            if (a.documentKind === 'soc2' && a.period && a.period.end) {
              var stale = addMonths(a.period.end, 12);
              if (stale <= horizon) expiring.push({ line: line, doc: d, stale: stale });
            }
          });
        });
        TG.fill('expiring', TG.table([
          { label: 'Vendor', cell: function (x) { return vendorLink(x.line.vendorId, x.line.vendorName); } },
          { label: 'Report', cell: function (x) { return x.doc.fileName; } },
          { label: 'Stale from', cell: function (x) { return x.stale + (x.stale < today ? ' (expired)' : ''); } },
        ], expiring, 'No reports expire in the next 90 days.'));
      });
      TG.fill('concentration', TG.table([
        { label: 'Provider', cell: function (p) { return p.provider; } },
        { label: 'Vendors on it', cell: function (p) { return String(p.vendors); } },
      ], figures.subserviceConcentration, 'No subservice organizations reported yet.'));
    });
  };

  pages.outbox = function () {
    TG.load('staff', '/api/dev/outbox?limit=50').then(function (res) {
      TG.fill('outbox', items(res).length ? items(res).map(function (m) {
        var text = h('div', { class: 'mail-text' });
        m.text.split(/(https?:\/\/[^\s]+)/).forEach(function (part, i) {
          text.appendChild(i % 2 === 1 ? h('a', { href: part, text: part, rel: 'noreferrer' }) : document.createTextNode(part));
        });
        return h('article', { class: 'card mail' }, h('h2', { text: m.subject }),
          TG.facts([['To', m.to.join(', ')], ['From', m.from], ['Sent', TG.dateTime(m.sentAt)], ['Purpose', TG.label(m.purpose)]]), text);
      }) : h('p', { class: 'muted', text: 'No mail yet.' }));
    });
  };

  function start() {
    var page = document.body.getAttribute('data-page');
    if (page !== 'sign-in' && page !== 'auth-callback') {
      var claims = TG.claims();
      if (!claims) return TG.signIn();
      TG.fill('who-name', (claims.email || claims.sub) + ' (' + TG.roles().join(', ') + ')');
      var out = $('sign-out');
      if (out) out.addEventListener('click', function () { TG.setToken('staff', null); location.assign('/sign-in'); });
    }
    if (pages[page]) pages[page]();
  }
  start();
})();
`;
