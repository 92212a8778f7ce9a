/**
 * The vendor portal's script. The link's token arrives in the URL fragment (never sent to a server); the confirm
 * page keeps it in sessionStorage only when the person presses the button, and strips it from the address bar.
 */
export const PORTAL_JS = String.raw`
'use strict';
(function () {
  var TG = window.TG, h = TG.h, $ = TG.$;

  function openPage() {
    var match = /[#&]token=(tgp_[A-Za-z0-9_-]{43})/.exec(location.hash);
    var button = $('open-assessment');
    if (!match) {
      if (TG.getToken('portal')) { button.hidden = false; button.addEventListener('click', function () { location.assign('/portal'); }); return; }
      TG.status('This link is incomplete. Open the full link from the invitation mail.', true);
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      TG.setToken('portal', match[1]);
      history.replaceState(null, '', location.pathname);
      location.assign('/portal');
    });
  }

  var state = { view: null, statuses: {}, answers: {}, progress: {}, pending: {}, timer: null, saving: false, locked: false };
  var questionIndex = {};

  function portalPage() {
    if (!TG.getToken('portal')) return TG.status('Open the assessment with the link from your invitation mail.', true);
    wireUploads();
    wireImport();
    wireSubmit();
    reload();
  }

  function reload() {
    return Promise.all([TG.api('portal', 'GET', '/api/portal/assessment'), TG.api('portal', 'GET', '/api/portal/visibility')]).then(function (res) {
      if (!res[0].ok) {
        TG.fill('questionnaire', null);
        $('uploads').hidden = $('import').hidden = $('submit-area').hidden = true;
        return TG.showProblem(res[0].data);
      }
      state.view = res[0].data;
      state.locked = state.view.locked;
      state.answers = {};
      state.view.questionnaires.forEach(function (q) { state.answers[q.template.id] = Object.assign({}, q.answers); state.progress[q.template.id] = q.progress; });
      applyStatuses(res[1].ok ? res[1].data : { items: [] });
      render();
    });
  }

  function applyStatuses(data) {
    state.statuses = {};
    (data.items || []).forEach(function (item) { state.statuses[item.templateId] = item.statuses; });
  }

  function render() {
    var v = state.view;
    TG.fill(document.querySelector('h1'), 'Security assessment for ' + v.vendorName);
    TG.fill('portal-head', [
      h('p', null, 'Due ' + v.dueDate + '. Your answers save as you go; you can close this page and come back with the same link.'),
      v.changesRequested ? h('div', { class: 'tip' }, h('strong', { text: 'Changes requested: ' }), v.changesRequested) : null,
      state.locked ? h('p', { class: 'locked-note', id: 'locked-note', text: 'Submitted. Thank you: the answers are read-only now.' }) : null,
    ]);
    var nav = [], blocks = [];
    v.questionnaires.forEach(function (q) {
      var t = q.template;
      blocks.push(h('h2', { id: 'tpl-' + t.id, text: t.title }));
      t.sections.forEach(function (s) {
        var sid = 'sec-' + t.id + '-' + s.id;
        nav.push(h('li', { 'data-section': sid }, h('a', { href: '#' + sid, text: s.title })));
        blocks.push(h('section', { id: sid, class: 'qsection', 'data-section': sid },
          h('h3', { text: s.title }), s.description ? h('p', { class: 'muted', text: s.description }) : null,
          s.questions.map(function (question) { return questionBlock(t.id, question); })));
      });
    });
    TG.fill('sections-nav', h('ul', null, nav));
    TG.fill('questionnaire', blocks);
    $('uploads').hidden = false;
    $('import').hidden = state.locked;
    $('submit-area').hidden = state.locked;
    $('upload-form').hidden = state.locked;
    TG.fill('f-csv-template', v.questionnaires.map(function (q) { return h('option', { value: q.template.id, text: q.template.title }); }));
    renderDocuments();
    refreshVisibility();
    updateProgress();
  }

  function answerOf(tid, qid) { var a = state.answers[tid] || {}; return Object.prototype.hasOwnProperty.call(a, qid) ? a[qid] : undefined; }
  function hasValue(entry) {
    if (!entry) return false;
    var v = entry.value;
    if (typeof v === 'string') return v.trim() !== '';
    if (typeof v === 'number') return isFinite(v);
    return Array.isArray(v) && v.length > 0;
  }

  function questionBlock(tid, question) {
    var qid = question.id, key = tid + '/' + qid, fid = 'q-' + tid + '-' + qid;
    var entry = answerOf(tid, qid) || {};
    var value = entry.value;
    var disabled = state.locked;
    questionIndex[key] = question;
    var text = question.text + (question.required ? '' : ' (optional)');
    var help = question.help ? h('p', { class: 'help', id: fid + '-help', text: question.help }) : null;
    var control, grouped = false;
    function onChange() { changed(tid, question); }
    if (question.type === 'yes-no' || question.type === 'single-choice' || question.type === 'multiple-choice') {
      grouped = true;
      var options = question.type === 'yes-no'
        ? [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }].concat(question.allowNa ? [{ id: 'na', label: 'Not applicable' }] : [])
        : question.options;
      var multi = question.type === 'multiple-choice';
      control = h('div', { class: 'choices' }, options.map(function (o) {
        var checked = multi ? Array.isArray(value) && value.indexOf(o.id) >= 0 : value === o.id;
        return h('label', { class: 'choice' }, h('input', { type: multi ? 'checkbox' : 'radio', name: fid, value: o.id, checked: checked, disabled: disabled, onchange: onChange }), ' ' + o.label);
      }));
    } else if (question.type === 'text') {
      control = h('textarea', { id: fid, name: fid, rows: 3, maxlength: question.maxLength, disabled: disabled, oninput: onChange, value: typeof value === 'string' ? value : '' });
    } else if (question.type === 'number') {
      control = h('input', { id: fid, name: fid, type: 'number', min: question.min, max: question.max, step: question.integer ? '1' : 'any', disabled: disabled, oninput: onChange, value: typeof value === 'number' ? String(value) : '' });
    } else if (question.type === 'date') {
      control = h('input', { id: fid, name: fid, type: 'date', disabled: disabled, onchange: onChange, value: typeof value === 'string' ? value : '' });
    } else {
      control = h('select', { id: fid, name: fid, disabled: disabled, onchange: onChange, 'data-file-question': '1' }, fileOptions(value));
    }
    var tipBox = h('div', { class: 'tip-slot', id: fid + '-tip' });
    var block = grouped
      ? h('fieldset', { class: 'question', id: 'qb-' + tid + '-' + qid, 'data-template': tid, 'data-question': qid, 'data-type': question.type, 'aria-describedby': help ? fid + '-help' : null },
          h('legend', { text: text }), help, control, tipBox)
      : h('div', { class: 'question', id: 'qb-' + tid + '-' + qid, 'data-template': tid, 'data-question': qid, 'data-type': question.type },
          h('label', { class: 'qtext', for: fid, text: text }), help, control, tipBox);
    if (help && !grouped) control.setAttribute('aria-describedby', fid + '-help');
    renderTip(tid, question, block);
    return block;
  }

  function fileOptions(value) {
    var docs = (state.view && state.view.documents) || [];
    return [h('option', { value: '', text: docs.length ? 'Choose an uploaded document' : 'Upload the document under Evidence first' })].concat(docs.map(function (d) {
      return h('option', { value: d.id, text: d.fileName + ' (' + TG.label(d.kind) + ')', selected: value === d.id });
    }));
  }

  function riskyTip(question, entry) {
    if (!entry) return null;
    if (question.type === 'yes-no') return question.riskyAnswer && entry.value === question.riskyAnswer ? question.tip : null;
    if (question.type === 'single-choice' || question.type === 'multiple-choice') {
      var picked = [].concat(entry.value);
      var found = null;
      question.options.forEach(function (o) { if (!found && o.tip && picked.indexOf(o.id) >= 0 && o.risk > 0) found = o.tip; });
      return found;
    }
    return null;
  }

  function renderTip(tid, question, block) {
    var slot = block.querySelector('.tip-slot');
    var entry = answerOf(tid, question.id);
    var tip = riskyTip(question, entry);
    if (!tip) { slot.replaceChildren(); return; }
    if (slot.firstChild) return;
    var base = 'q-' + tid + '-' + question.id;
    var note = h('textarea', { id: base + '-cc', rows: 2, maxlength: 4000, disabled: state.locked, value: (entry && entry.compensatingControl) || '', oninput: function () { changed(tid, question); } });
    var date = h('input', { id: base + '-rd', type: 'date', disabled: state.locked, value: (entry && entry.remediationDate) || '', onchange: function () { changed(tid, question); } });
    TG.fill(slot, h('div', { class: 'tip sev-' + tip.severity, role: 'note' },
      h('p', null, h('strong', { text: TG.label(tip.severity) + ' risk. ' }), tip.whyItMatters),
      tip.guidance ? h('p', { text: tip.guidance }) : null,
      h('div', { class: 'field' }, h('label', { for: base + '-cc', text: 'Compensating control (optional)' }), note),
      h('div', { class: 'field' }, h('label', { for: base + '-rd', text: 'We will fix this by (optional)' }), date)));
  }

  function readEntry(tid, question) {
    var block = $('qb-' + tid + '-' + question.id);
    var value;
    if (question.type === 'multiple-choice') value = Array.prototype.map.call(block.querySelectorAll('input:checked'), function (i) { return i.value; });
    else if (question.type === 'yes-no' || question.type === 'single-choice') { var c = block.querySelector('input:checked'); value = c ? c.value : ''; }
    else if (question.type === 'number') { var raw = block.querySelector('input').value; value = raw === '' ? '' : Number(raw); }
    else value = block.querySelector('textarea, input, select').value;
    var entry = { value: value };
    var cc = $('q-' + tid + '-' + question.id + '-cc'), rd = $('q-' + tid + '-' + question.id + '-rd');
    if (cc && cc.value.trim()) entry.compensatingControl = cc.value;
    if (rd && rd.value) entry.remediationDate = rd.value;
    return hasValue(entry) ? entry : null;
  }

  function changed(tid, question) {
    if (state.locked) return;
    var entry = readEntry(tid, question);
    state.answers[tid] = state.answers[tid] || {};
    if (entry) state.answers[tid][question.id] = entry; else delete state.answers[tid][question.id];
    state.pending[tid] = state.pending[tid] || {};
    state.pending[tid][question.id] = entry;
    renderTip(tid, question, $('qb-' + tid + '-' + question.id));
    var block = $('qb-' + tid + '-' + question.id);
    if (entry) block.classList.remove('missing');
    TG.fill('save-state', 'Unsaved changes…');
    clearTimeout(state.timer);
    state.timer = setTimeout(flush, 600);
  }

  /** Saves pending answers (merged per question on the server), then asks which questions now show. */
  function flush() {
    if (state.saving) { clearTimeout(state.timer); state.timer = setTimeout(flush, 300); return Promise.resolve(); }
    var tids = Object.keys(state.pending).filter(function (t) { return Object.keys(state.pending[t]).length > 0; });
    if (tids.length === 0) return Promise.resolve();
    state.saving = true;
    TG.fill('save-state', 'Saving…');
    var batch = state.pending;
    state.pending = {};
    return tids.reduce(function (chain, tid) {
      return chain.then(function () {
        return TG.api('portal', 'PUT', '/api/portal/answers', { templateId: tid, answers: batch[tid] }).then(function (r) {
          if (!r.ok) throw r.data;
          state.progress[tid] = r.data.progress;
        });
      });
    }, Promise.resolve()).then(function () {
      return TG.api('portal', 'GET', '/api/portal/visibility').then(function (r) {
        if (r.ok) applyStatuses(r.data);
        refreshVisibility();
        updateProgress();
        TG.fill('save-state', 'All changes saved');
        return clearHidden();
      });
    }).catch(function (problem) {
      TG.fill('save-state', 'Not saved');
      TG.showProblem(problem);
    }).then(function () { state.saving = false; });
  }

  /** Answers to questions that a changed answer hid are removed, so the submission stays valid. */
  function clearHidden() {
    var found = false;
    Object.keys(state.statuses).forEach(function (tid) {
      Object.keys(state.answers[tid] || {}).forEach(function (qid) {
        if (state.statuses[tid][qid] === 'hidden') {
          delete state.answers[tid][qid];
          state.pending[tid] = state.pending[tid] || {};
          state.pending[tid][qid] = null;
          found = true;
        }
      });
    });
    if (found) { clearTimeout(state.timer); state.timer = setTimeout(flush, 50); }
  }

  function refreshVisibility() {
    document.querySelectorAll('.question').forEach(function (block) {
      var tid = block.getAttribute('data-template'), qid = block.getAttribute('data-question');
      var statuses = state.statuses[tid];
      block.hidden = statuses ? statuses[qid] !== 'visible' : false;
    });
    document.querySelectorAll('.qsection').forEach(function (section) {
      var shown = section.querySelector('.question:not([hidden])') !== null;
      section.hidden = !shown;
      var navItem = document.querySelector('#sections-nav li[data-section="' + section.id + '"]');
      if (navItem) navItem.hidden = !shown;
    });
  }

  function updateProgress() {
    var answered = 0, total = 0;
    Object.keys(state.progress).forEach(function (tid) { answered += state.progress[tid].answered; total += state.progress[tid].total; });
    var percent = total === 0 ? 100 : Math.floor((100 * answered) / total);
    $('progress').value = percent;
    TG.fill('progress-label', 'Progress: ' + percent + '% (' + answered + ' of ' + total + ' required answers)');
  }

  function missingQuestions() {
    var missing = [];
    state.view.questionnaires.forEach(function (q) {
      var tid = q.template.id, statuses = state.statuses[tid] || {};
      q.template.sections.forEach(function (s) {
        s.questions.forEach(function (question) {
          if (question.required && statuses[question.id] === 'visible' && !hasValue(answerOf(tid, question.id))) missing.push({ tid: tid, question: question, section: s });
        });
      });
    });
    return missing;
  }

  function wireSubmit() {
    $('review-submit').addEventListener('click', function () {
      flush().then(function () {
        var missing = missingQuestions();
        document.querySelectorAll('.question.missing').forEach(function (b) { b.classList.remove('missing'); });
        if (missing.length) {
          missing.forEach(function (m) { $('qb-' + m.tid + '-' + m.question.id).classList.add('missing'); });
          $('confirm-submit').hidden = true;
          TG.fill('missing', [h('p', { text: missing.length + ' required question(s) still need an answer:' }), h('ul', null, missing.map(function (m) {
            return h('li', null, h('a', { href: '#qb-' + m.tid + '-' + m.question.id, text: m.section.title + ': ' + m.question.text }));
          }))]);
          return;
        }
        TG.fill('missing', h('p', { text: 'Every required question is answered and ' + state.view.documents.length + ' document(s) are attached. After submitting, the answers can no longer be changed.' }));
        $('confirm-submit').hidden = false;
        $('confirm-submit').focus();
      });
    });
    $('confirm-submit').addEventListener('click', function () {
      $('confirm-submit').disabled = true;
      flush().then(function () { return TG.api('portal', 'POST', '/api/portal/submit'); }).then(function (r) {
        $('confirm-submit').disabled = false;
        if (!r.ok) return TG.showProblem(r.data, 'submit-errors');
        TG.status('Submitted. Thank you!');
        TG.fill('missing', null);
        $('confirm-submit').hidden = true;
        reload().then(pollAnalysis);
      });
    });
  }

  function renderDocuments() {
    var docs = state.view.documents;
    TG.fill('documents', docs.length ? docs.map(function (d) {
      var status = d.analysisStatus === 'pending' ? (state.locked ? 'Analyzing' : 'Analyzed after you submit') : d.analysisStatus === 'failed' ? 'could not be read' : TG.label(d.analysisStatus);
      var facts = d.fileName + ' · ' + TG.label(d.kind) + (d.pageCount ? ' · ' + d.pageCount + ' page(s)' : '') + ' · ' + Math.ceil(d.size / 1024) + ' KB · analysis: ';
      return h('li', { 'data-document': d.id, class: d.analysisStatus === 'failed' ? 'failed' : null }, facts, h('strong', { class: 'analysis-status', text: status }),
        d.problem ? h('p', { class: 'document-problem', text: d.problem }) : null,
        state.locked ? null : h('span', { class: 'document-actions' },
          h('button', { type: 'button', class: 'secondary', 'data-action': 'replace', 'aria-label': 'Replace ' + d.fileName, text: 'Replace', onclick: function () { replaceDocument(d); } }), ' ',
          h('button', { type: 'button', class: 'secondary', 'data-action': 'delete', 'aria-label': 'Delete ' + d.fileName, text: 'Delete', onclick: function () { deleteDocument(d); } })));
    }) : h('li', { class: 'muted', text: 'No documents yet.' }));
    document.querySelectorAll('select[data-file-question]').forEach(function (select) {
      var current = select.value;
      TG.fill(select, fileOptions(current));
      select.value = current;
    });
  }

  function deleteDocument(d) {
    if (!window.confirm('Delete ' + d.fileName + '?')) return;
    TG.api('portal', 'DELETE', '/api/portal/documents/' + encodeURIComponent(d.id)).then(function (r) {
      if (!r.ok) return TG.showProblem(r.data, 'upload-errors');
      state.view.documents = state.view.documents.filter(function (x) { return x.id !== d.id; });
      TG.status('Deleted ' + d.fileName + '.');
      renderDocuments();
    });
  }

  function replaceDocument(d) {
    var picker = h('input', { type: 'file', accept: 'application/pdf,.pdf', hidden: true });
    picker.addEventListener('change', function () {
      var file = picker.files[0];
      picker.remove();
      if (!file) return;
      sendFile(file, d.kind, d.id, function (data) {
        state.view.documents = state.view.documents.map(function (x) { return x.id === d.id ? data : x; });
        TG.status('Replaced ' + d.fileName + ' with ' + data.fileName + '.');
        renderDocuments();
      });
    });
    document.body.appendChild(picker);
    picker.click();
  }

  /** Checks a file here (type, size), uploads it with a progress bar, and shows a refusal in words. */
  function sendFile(file, kind, replacesDocumentId, onStored) {
    var max = Number($('dropzone').getAttribute('data-max-bytes')) || 50 * 1024 * 1024;
    var errors = [];
    if (!/\.pdf$/i.test(file.name) && file.type !== 'application/pdf') errors.push(file.name + ' is not a PDF.');
    if (file.size === 0) errors.push(file.name + ' is empty.');
    if (file.size > max) errors.push(file.name + ' is larger than ' + Math.round(max / 1048576) + ' MB.');
    if (errors.length) return TG.fill('upload-errors', errors.map(function (e) { return h('li', { text: e }); }));
    TG.fill('upload-errors', null);
    var bar = $('upload-progress');
    bar.hidden = false; bar.value = 0;
    uploadDocument(file, kind, replacesDocumentId, function (percent) { bar.value = percent; }).then(function (r) {
      bar.hidden = true;
      if (!r.ok) return TG.showProblem(r.data, 'upload-errors');
      onStored(r.data);
    });
  }

  // ---- uploadDocument: the one upload path, the same in AWS and locally (issue 14, item 1) ----
  /**
   * Uploads a PDF straight to the document store (S3 in AWS, the local server's stand-in locally), never through the
   * API: (1) announces it, POST /api/portal/uploads, and gets a signed form; (2) posts the form's fields and the file
   * (last) to the form's URL with XMLHttpRequest, reporting onProgress(0..100); (3) completes it, POST
   * /api/portal/documents { uploadId }, where the server checks the stored file. Resolves { ok, status, data }: the
   * document, or a problem ({ code, title }) in words, whichever step refused.
   */
  function uploadDocument(file, kind, replacesDocumentId, onProgress) {
    var S3_REFUSALS = {
      EntityTooLarge: 'The file is larger than the upload limit.',
      EntityTooSmall: 'The file is empty.',
      AccessDenied: 'The upload was refused (the upload link expired or was changed). Try again.',
      SignatureDoesNotMatch: 'The upload was refused (the upload link expired or was changed). Try again.'
    };
    function postToStore(upload) {
      return new Promise(function (resolve) {
        var form = new FormData();
        Object.keys(upload.fields).forEach(function (name) { form.append(name, upload.fields[name]); });
        form.append('file', file, file.name);
        var xhr = new XMLHttpRequest();
        xhr.open('POST', upload.url);
        xhr.upload.addEventListener('progress', function (e) { if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100)); });
        xhr.addEventListener('load', function () {
          if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true, status: xhr.status, data: null });
          var code = (/<Code>([^<]*)<\/Code>/.exec(xhr.responseText || '') || [])[1] || 'upload-refused';
          resolve({ ok: false, status: xhr.status, data: { code: code, title: S3_REFUSALS[code] || 'The upload was refused (' + code + '). Try again.' } });
        });
        xhr.addEventListener('error', function () { resolve({ ok: false, status: 0, data: { code: 'network-error', title: 'The upload failed; check the connection and try again.' } }); });
        xhr.send(form);
      });
    }
    var intent = { fileName: file.name, contentType: 'application/pdf', size: file.size, kind: kind };
    if (replacesDocumentId) intent.replacesDocumentId = replacesDocumentId;
    return TG.api('portal', 'POST', '/api/portal/uploads', intent).then(function (started) {
      if (!started.ok) return started;
      return postToStore(started.data.upload).then(function (posted) {
        if (!posted.ok) return posted;
        onProgress(100);
        return TG.api('portal', 'POST', '/api/portal/documents', { uploadId: started.data.uploadId });
      });
    });
  }
  // ---- end of uploadDocument ----

  var polls = 0;
  function pollAnalysis() {
    if (!state.view || !state.view.documents.some(function (d) { return d.analysisStatus === 'pending'; }) || polls++ > 40) return;
    setTimeout(function () {
      TG.api('portal', 'GET', '/api/portal/assessment').then(function (r) {
        if (r.ok) { state.view.documents = r.data.documents; renderDocuments(); }
        pollAnalysis();
      });
    }, 3000);
  }

  function wireUploads() {
    var zone = $('dropzone'), input = $('f-file');
    ['dragenter', 'dragover'].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add('over'); }); });
    ['dragleave', 'drop'].forEach(function (t) { zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove('over'); }); });
    zone.addEventListener('drop', function (e) { if (e.dataTransfer && e.dataTransfer.files[0]) send(e.dataTransfer.files[0]); });
    input.addEventListener('change', function () { if (input.files[0]) send(input.files[0]); });
    function send(file) {
      sendFile(file, $('f-kind').value, null, function (data) {
        input.value = '';
        TG.status('Uploaded ' + data.fileName + '.');
        state.view.documents.push(data);
        renderDocuments();
      });
      input.value = '';
    }
  }

  function wireImport() {
    $('f-csv').addEventListener('change', function (e) {
      var file = e.target.files[0];
      if (!file) return;
      if (file.size > 2000000) return TG.fill('import-errors', h('li', { text: 'The file is larger than 2 MB.' }));
      var tid = $('f-csv-template').value;
      file.text().then(function (csv) { return TG.api('portal', 'POST', '/api/portal/answers/csv', { templateId: tid, csv: csv }); }).then(function (r) {
        if (!r.ok) return TG.showProblem(r.data, 'import-errors');
        return TG.api('portal', 'PUT', '/api/portal/answers', { templateId: tid, answers: r.data.answers }).then(function (saved) {
          if (!saved.ok) return TG.showProblem(saved.data, 'import-errors');
          TG.fill('import-errors', null);
          e.target.value = '';
          return reload().then(function () { TG.status('Imported ' + Object.keys(r.data.answers).length + ' answer(s).'); });
        });
      });
    });
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'portal-open') openPage();
  if (page === 'portal') portalPage();
})();
`;
