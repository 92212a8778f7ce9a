/** The one stylesheet: readable at 390 px and 1280 px, contrast at least 4.5:1, visible focus. */
export const APP_CSS = String.raw`
:root { --fg: #1a1d23; --muted: #4a5160; --bg: #ffffff; --panel: #f4f6f9; --line: #c9ced8; --accent: #0b57d0; --accent-fg: #ffffff;
  --ok: #146c2e; --warn: #8a4b00; --bad: #b3261e; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; line-height: 1.5; font-size: 16px; overflow-wrap: anywhere; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--accent); color: var(--accent-fg); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
.top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem; background: #10243e; color: #fff; }
.top a { color: #fff; }
.top a[aria-current=page] { font-weight: 700; text-decoration-thickness: 3px; }
.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
.top nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
.top .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
.top .who button.link { color: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: .5rem 0; }
section { margin-bottom: 1rem; }
.muted { color: var(--muted); }
.status:empty { display: none; }
.status { padding: .5rem .75rem; background: var(--panel); border-left: 4px solid var(--accent); }
.status.error { border-color: var(--bad); color: var(--bad); }
button, .button { font: inherit; padding: .5rem 1rem; border: 1px solid var(--accent); border-radius: 6px; background: #fff; color: var(--accent);
  cursor: pointer; text-decoration: none; display: inline-block; min-height: 44px; }
button.primary, .button.primary { background: var(--accent); color: var(--accent-fg); }
button.link { border: none; background: none; padding: 0; min-height: 0; text-decoration: underline; }
button.danger { border-color: var(--bad); color: var(--bad); }
button:disabled { opacity: .6; cursor: not-allowed; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.field { display: flex; flex-direction: column; gap: .25rem; margin: 0 0 .75rem; min-width: 0; }
fieldset.field { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
label { font-weight: 600; }
label.choice { font-weight: 400; display: flex; gap: .5rem; align-items: center; padding: .25rem 0; }
.choices { display: flex; flex-wrap: wrap; gap: 0 1.25rem; }
input, select, textarea { font: inherit; padding: .5rem; border: 1px solid #6b7280; border-radius: 6px; max-width: 100%; background: #fff; color: var(--fg); }
input[type=checkbox], input[type=radio] { width: 1.2rem; height: 1.2rem; }
.stack { max-width: 40rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
.filters .field { margin: 0; }
.errors { color: var(--bad); padding-left: 1.25rem; }
.errors:empty { display: none; }
.field-error { color: var(--bad); margin: .15rem 0 0; font-size: .9rem; }
[aria-invalid="true"] { border-color: var(--bad); outline-color: var(--bad); }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
th { background: var(--panel); }
@media (max-width: 700px) {
  table.responsive thead { position: absolute; left: -9999px; }
  table.responsive tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin-bottom: .75rem; }
  table.responsive td { display: flex; gap: .5rem; border: none; padding: .25rem .5rem; }
  table.responsive td::before { content: attr(data-label); font-weight: 600; min-width: 7.5rem; flex-shrink: 0; }
  dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.facts dd { margin-bottom: .5rem; }
}
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; background: var(--panel); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr)); gap: 0 1.5rem; }
dl.facts { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .875rem; border: 1px solid currentColor; white-space: nowrap; }
.rating-low, .sev-low, .sev-info { color: var(--ok); }
.rating-medium, .sev-medium { color: var(--warn); }
.rating-high, .rating-critical, .sev-high, .sev-critical { color: var(--bad); }
.rating-unrated { color: var(--muted); }
.badge.rating-unrated { border-style: dashed; }
.badge.overdue { color: var(--bad); font-weight: 600; }
.chart { list-style: none; padding: 0; margin: 0; }
.chart li { display: grid; grid-template-columns: minmax(0, 1fr) 3.5rem; gap: .25rem .75rem; padding: .35rem 0; border-bottom: 1px solid var(--line); }
.chart .bar { grid-column: 1 / -1; height: .6rem; border-radius: 3px; background: var(--bad); }
.chart .bar.neg { background: var(--ok); }
.chart .bar.rating-critical { background: var(--bad); }
.chart .bar.rating-high { background: #c2410c; }
.chart .bar.rating-medium { background: var(--warn); }
.chart .bar.rating-low { background: var(--ok); }
.chart .bar.rating-unrated { background: #8a93a3; }
.export-note { display: block; margin-top: .25rem; font-size: .9rem; }
.saved { color: var(--ok); font-weight: 600; margin: .5rem 0; }
.saved:empty { display: none; }
details.edit-profile > summary { cursor: pointer; color: var(--accent); margin-bottom: .5rem; }
.chart .pts { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.badge.corrected { color: var(--warn); margin-left: .25rem; }
.correction { margin: .25rem 0; font-size: .875rem; }
details.correct { margin: .25rem 0; }
details.correct > summary { cursor: pointer; color: var(--accent); }
textarea.code { font-family: ui-monospace, monospace; font-size: .875rem; }
.quote { border-left: 4px solid var(--line); margin: .25rem 0; padding: .25rem .75rem; background: var(--panel); font-style: italic; }
.timeline { padding-left: 1.25rem; }
.timeline li { margin-bottom: .5rem; }
.progress-wrap { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; position: sticky; top: 0; background: #fff; padding: .5rem 0; z-index: 2; border-bottom: 1px solid var(--line); }
progress { width: min(20rem, 100%); height: 1rem; }
#sections-nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; padding: 0; }
.question { border: 1px solid var(--line); border-radius: 8px; padding: .75rem; margin: 0 0 .75rem; }
.question legend, .question > .qtext { font-weight: 600; padding: 0 .25rem; }
.question .help { color: var(--muted); margin: .25rem 0; }
.question.missing { border-color: var(--bad); border-width: 2px; }
.attention { border-left: 4px solid var(--bad); background: #fdecea; padding: .5rem .75rem; margin: .75rem 0; }
.attention h3 { margin-top: 0; }
.tip { border-left: 4px solid var(--warn); background: #fff7e6; padding: .5rem .75rem; margin-top: .5rem; }
.tip.sev-high, .tip.sev-critical { border-color: var(--bad); background: #fdecea; color: var(--fg); }
.dropzone { border: 2px dashed #6b7280; border-radius: 8px; padding: 1rem; display: flex; flex-direction: column; gap: .5rem; }
.dropzone.over { border-color: var(--accent); background: #e8f0fe; }
.docs { padding-left: 1.25rem; }
.docs .document-problem { color: var(--bad); margin: 0.25rem 0; }
.docs .document-actions { margin-left: 0.5rem; }
.locked-note { padding: .75rem; background: #e6f4ea; border-left: 4px solid var(--ok); }
#outbox .mail-text { white-space: pre-wrap; margin-top: .5rem; }
code { background: var(--panel); padding: 0 .25rem; }
/* The review page (assessment): rating scale, grouped contributions, flags, panel status lines. */
.scale { position: relative; display: flex; height: 1.75rem; margin: .5rem 0 .25rem; border-radius: 4px; overflow: visible; }
.scale .band { display: flex; align-items: center; justify-content: center; font-size: .75rem; font-weight: 600; color: #fff; overflow: hidden; }
.scale .band-name { padding: 0 .25rem; white-space: nowrap; }
.band-low { background: var(--ok); }
.band-medium { background: var(--warn); }
.band-high { background: #b3261e; }
.band-critical { background: #6e0f0a; }
.scale .band:first-child { border-radius: 4px 0 0 4px; }
.scale .band:last-child { border-radius: 0 4px 4px 0; }
.scale .marker { position: absolute; top: -.35rem; bottom: -.35rem; width: 4px; margin-left: -2px; background: var(--fg); border: 1px solid #fff; border-radius: 2px; }
.bands { list-style: none; padding: 0; margin: .25rem 0 .75rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .875rem; }
.bands li.current { font-weight: 700; }
.contrib-group h3 { display: flex; gap: .5rem; align-items: baseline; margin-top: 1rem; }
.override-note { border-left: 4px solid var(--warn); background: #fff7e6; padding: .5rem .75rem; }
.panel-status:empty { display: none; }
.panel-status { padding: .5rem .75rem; background: #e6f4ea; border-left: 4px solid var(--ok); }
.panel-form { margin: .75rem 0; }
.panel-form > summary, details > summary { cursor: pointer; }
.badge.unsure { color: var(--warn); margin-left: .25rem; }
.low-confidence { border-left: 4px solid var(--warn); padding-left: .5rem; }
.unsure-reason { color: var(--warn); margin: .15rem 0; font-size: .9rem; }
.unsure-summary { border-left: 4px solid var(--warn); background: #fff7e6; padding: .5rem .75rem; }
button.page-link { color: var(--accent); font-style: normal; }
.citation q { font-style: italic; }
.justification { margin: 0; white-space: pre-wrap; }
.cuecs { padding-left: 1.5rem; }
.cuecs li { margin-bottom: .25rem; }
/* An assignee's email has no break point: let the narrow cards break it rather than grow past the screen. */
#tasks td, #findings td { overflow-wrap: anywhere; }
.loading { padding: .75rem; background: var(--panel); border-left: 4px solid var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* A jump (section link, error link, focus) never lands under the sticky progress bar. */
.qsection, .question, #uploads, #import, #submit-area, #submit-done, #portal-head > * { scroll-margin-top: 6rem; }
@media (max-width: 700px) { .qsection, .question, #uploads, #import, #submit-area, #submit-done, #portal-head > * { scroll-margin-top: 9rem; } }
details.qsection { border-top: 1px solid var(--line); padding: .25rem 0; margin-bottom: .5rem; }
details.qsection > summary { cursor: pointer; list-style-position: outside; margin-left: 1.25rem; padding: .25rem 0; }
details.qsection > summary h3 { display: inline-flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; margin: .25rem 0; }
.section-status, .nav-status { font-size: .9rem; font-weight: 400; }
.tone-done { color: var(--ok); }
.tone-open { color: var(--muted); }
.tone-error { color: var(--bad); font-weight: 600; }
.carried { background: #eef3fb; border-left: 4px solid var(--accent); padding: .5rem .75rem; margin: .5rem 0 .75rem; }
.carried p { margin: 0 0 .5rem; }
.section-error:empty { display: none; }
.section-error { color: var(--bad); font-weight: 600; }
.from-tag { display: inline-block; font-size: .875rem; color: var(--muted); border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; margin: .25rem 0; }
.with-unit { display: inline-flex; gap: .5rem; align-items: center; }
.with-unit .unit { font-weight: 600; }
.question.readonly .qtext { font-weight: 600; margin: 0 0 .25rem; }
.question.readonly .answer { margin: 0; font-size: 1.05rem; }
.question.readonly .answer-note { margin: .25rem 0 0; }
.carried-doc { color: var(--ok); margin: .25rem 0; }
.ask-again li { margin-bottom: .5rem; }
.document-errors { margin: .25rem 0; }
`;
