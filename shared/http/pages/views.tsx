/**
 * The screens' server-rendered shells. They hold structure, labels and forms but no records: the client scripts
 * fill them from the role-checked JSON API with the signed-in user's token (docs/adr/0004-web-ui.md).
 */
import { CRITICALITIES, DATA_CLASSIFICATIONS, DATA_TYPES, RECORD_VOLUMES, SYSTEM_ACCESS_LEVELS, VENDOR_STATUSES } from '../../domain/vendor.ts';
import { DOCUMENT_KINDS } from '../../domain/assessment.ts';
import { ROLES } from '../../domain/roles.ts';
import { RISK_RATINGS } from '../../domain/profile-values.ts';
import { RISK_POLICY } from '../../domain/risk/risk-policy.ts';
import { humanLabel } from '../../domain/labels.ts';

const label = (value: string) => humanLabel(value);

const DEMO_USERS: Record<(typeof ROLES)[number], string> = {
  procurement: 'Registers vendors, starts assessments, chases vendors',
  security: 'Reviews evidence, handles findings, decides',
  admin: 'Everything, including the daily sweep',
};

export function SignInView(props: { localMode: boolean; hostedSignIn: { domain: string; clientId: string } | undefined }) {
  if (!props.localMode) {
    if (!props.hostedSignIn) return <p>Sign-in is not configured: set the Cognito hosted UI domain and web client id.</p>;
    return (
      <section>
        <p>Sign in with your organisation account on the Cognito sign-in page.</p>
        <p>
          <button type="button" class="primary" id="hosted-sign-in" data-domain={props.hostedSignIn.domain} data-client-id={props.hostedSignIn.clientId}>
            Continue to sign-in
          </button>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="demo-users">
      <h2 id="demo-users">Demo users (local mode)</h2>
      <p>Pick a role. Locally there are no passwords: each user gets a token signed with the key in the data folder.</p>
      <ul class="cards">
        {ROLES.map((role) => (
          <li class="card">
            <h3>{label(role)}</h3>
            <p>{DEMO_USERS[role]}</p>
            <p class="muted">{`${role}@trustgate.local`}</p>
            <button type="button" class="primary" data-sign-in={role}>
              {`Sign in as ${role}`}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const Select = (props: { name: string; text: string; values: readonly string[]; value?: string; any?: string; idPrefix?: string }) => (
  <div class="field">
    <label for={`${props.idPrefix ?? 'f'}-${props.name}`}>{props.text}</label>
    <select id={`${props.idPrefix ?? 'f'}-${props.name}`} name={props.name}>
      {props.any !== undefined && <option value="">{props.any}</option>}
      {props.values.map((v) => (
        <option value={v} selected={v === props.value}>
          {label(v)}
        </option>
      ))}
    </select>
  </div>
);

export function VendorListView() {
  return (
    <>
      <p class="actions">
        <a class="button primary" href="/vendors/new">
          Register a vendor
        </a>
      </p>
      <form id="vendor-filters" class="filters" role="search" aria-label="Filter vendors">
        <div class="field">
          <label for="f-q">Name starts with</label>
          <input id="f-q" name="q" type="search" autocomplete="off" maxlength={200} />
        </div>
        <div class="field">
          <label for="f-tier">Tier</label>
          <select id="f-tier" name="tier">
            <option value="">Any tier</option>
            {[1, 2, 3, 4].map((t) => (
              <option value={String(t)}>{`Tier ${t}`}</option>
            ))}
          </select>
        </div>
        <Select name="criticality" text="Criticality" values={CRITICALITIES} any="Any criticality" />
        <Select name="status" text="Status" values={VENDOR_STATUSES} any="Any status" />
        <button type="submit">Filter</button>
      </form>
      <p id="vendor-export" class="actions"></p>
      <div id="vendor-list" class="table-wrap"></div>
    </>
  );
}

/** The intake profile's fields, shared by the intake form and the vendor page's edit form (ids prefixed apart). */
function ProfileFields(props: { idPrefix: string; optional: string }) {
  const id = (name: string) => `${props.idPrefix}-${name}`;
  return (
    <>
      <div class="field">
        <label for={id('name')}>Name</label>
        <input id={id('name')} name="name" required maxlength={200} autocomplete="organization" />
      </div>
      <div class="field">
        <label for={id('website')}>Website</label>
        <input id={id('website')} name="website" type="url" required placeholder="https://example.com" />
      </div>
      <div class="field">
        <label for={id('contactEmail')}>Security contact email</label>
        <input id={id('contactEmail')} name="contactEmail" type="email" required autocomplete="email" />
      </div>
      <div class="field">
        <label for={id('contactName')}>{`Contact name${props.optional}`}</label>
        <input id={id('contactName')} name="contactName" maxlength={200} />
      </div>
      <div class="field">
        <label for={id('description')}>{`What we buy${props.optional}`}</label>
        <textarea id={id('description')} name="description" rows={3} maxlength={4000}></textarea>
      </div>
      <Select idPrefix={props.idPrefix} name="criticality" text="Business criticality" values={CRITICALITIES} value="medium" />
      <Select idPrefix={props.idPrefix} name="dataClassification" text="Most sensitive data shared" values={DATA_CLASSIFICATIONS} value="internal" />
      <fieldset class="field">
        <legend>Data types the vendor handles</legend>
        <div class="choices">
          {DATA_TYPES.map((t) => (
            <label class="choice">
              <input type="checkbox" name="dataTypes" value={t} /> {label(t)}
            </label>
          ))}
        </div>
      </fieldset>
      <Select idPrefix={props.idPrefix} name="systemAccess" text="Access to our systems" values={SYSTEM_ACCESS_LEVELS} value="none" />
      <Select idPrefix={props.idPrefix} name="recordVolume" text="Records shared" values={RECORD_VOLUMES} value="none" />
      <div class="field">
        <label for={id('businessOwner')}>{`Business owner${props.optional}`}</label>
        <input id={id('businessOwner')} name="businessOwner" maxlength={200} />
      </div>
    </>
  );
}

export function VendorIntakeView() {
  return (
    <form id="intake" class="stack" novalidate>
      <ProfileFields idPrefix="f" optional=" (optional)" />
      <ul id="form-errors" class="errors" aria-live="assertive"></ul>
      <button type="submit" class="primary">
        Register vendor
      </button>
    </form>
  );
}

export function VendorPageView() {
  return (
    <>
      <section id="profile" aria-labelledby="h-profile">
        <h2 id="h-profile">Profile</h2>
        <div id="profile-body"></div>
      </section>
      <section id="start" aria-labelledby="h-start" hidden>
        <h2 id="h-start">Start an assessment</h2>
        <form id="start-form" class="stack" novalidate>
          <fieldset class="field">
            <legend>Questionnaires (preselected for the vendor’s tier and data)</legend>
            <div id="template-choices" class="choices"></div>
          </fieldset>
          <div class="field">
            <label for="f-dueDate">Due date</label>
            <input id="f-dueDate" name="dueDate" type="date" required />
          </div>
          <ul id="start-errors" class="errors" aria-live="assertive"></ul>
          <button type="submit" class="primary">
            Send the assessment
          </button>
        </form>
      </section>
      <section id="edit" aria-labelledby="h-edit" hidden>
        <h2 id="h-edit">Change the profile</h2>
        <details class="edit-profile">
          <summary>Edit the vendor’s profile or status</summary>
          <form id="edit-form" class="stack" novalidate>
            <ProfileFields idPrefix="e" optional="" />
            <Select idPrefix="e" name="status" text="Vendor status" values={VENDOR_STATUSES} />
            <ul id="edit-errors" class="errors" aria-live="assertive"></ul>
            <button type="submit" class="primary">
              Save the profile
            </button>
          </form>
        </details>
        <p id="edit-saved" class="saved" role="status" aria-live="polite"></p>
      </section>
      <section aria-labelledby="h-history">
        <h2 id="h-history">Assessment history</h2>
        <div id="history" class="table-wrap"></div>
      </section>
      <section aria-labelledby="h-documents">
        <h2 id="h-documents">Documents</h2>
        <div id="documents"></div>
      </section>
      <section aria-labelledby="h-findings">
        <h2 id="h-findings">Findings</h2>
        <div id="findings" class="table-wrap"></div>
      </section>
      <section aria-labelledby="h-subservice">
        <h2 id="h-subservice">Subservice organizations</h2>
        <div id="subservice"></div>
      </section>
    </>
  );
}

/** A panel's own status line, outside the part the script re-renders, so a success message stays where the form was. */
const PanelStatus = (props: { id: string }) => <p id={props.id} class="panel-status" role="status" aria-live="polite"></p>;

export function AssessmentPageView() {
  const minReason = RISK_POLICY.override.justificationMinLength;
  return (
    <>
      <section aria-labelledby="h-summary">
        <h2 id="h-summary">Status</h2>
        <div id="summary"></div>
        <p class="actions" id="procurement-actions" hidden>
          <button type="button" id="resend">
            Resend invite
          </button>
        </p>
        <div id="attention" class="attention" hidden>
          <h3 id="h-attention">Needs attention</h3>
          <ul id="attention-reasons"></ul>
          <div id="attention-actions" class="stack"></div>
          <ul id="attention-errors" class="errors" aria-live="assertive"></ul>
        </div>
        <div id="cancel-area" hidden></div>
      </section>
      <section id="decided" aria-labelledby="h-decided" hidden>
        <h2 id="h-decided">Decision taken</h2>
        <PanelStatus id="decision-status" />
        <div id="decision-record"></div>
      </section>
      <section aria-labelledby="h-score">
        <h2 id="h-score">Residual risk</h2>
        <div id="score"></div>
        <details id="override-area" class="panel-form" hidden>
          <summary>Override the rating</summary>
          <form id="override-form" class="stack" novalidate>
            <div class="field">
              <label for="f-override-rating">Rating</label>
              <select id="f-override-rating" name="rating">
                {RISK_RATINGS.map((r) => (
                  <option value={r}>{label(r)}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-override-justification">{`Justification (at least ${minReason} characters; the computed rating stays visible)`}</label>
              <textarea id="f-override-justification" name="justification" rows={3} maxlength={4000}></textarea>
            </div>
            <ul id="override-errors" class="errors" aria-live="assertive"></ul>
            <button type="submit">Override the rating</button>
          </form>
        </details>
        <PanelStatus id="score-status" />
      </section>
      <section aria-labelledby="h-scope-fit">
        <h2 id="h-scope-fit">Scope fit: does the report cover what we buy?</h2>
        <div id="scope-fit"></div>
        <details id="scope-override-area" class="panel-form" hidden>
          <summary>Set the scope-fit verdict</summary>
          <form id="scope-override-form" class="stack" novalidate>
            <fieldset class="field">
              <legend>Verdict</legend>
              <div class="choices">
                {(['fit', 'mismatch'] as const).map((v, i) => (
                  <label class="choice">
                    <input type="radio" name="verdict" value={v} checked={i === 0} /> {v === 'fit' ? 'Fit: the report covers what we buy' : 'Mismatch: it does not'}
                  </label>
                ))}
              </div>
            </fieldset>
            <div class="field">
              <label for="f-scope-reason">{`Reason (at least ${minReason} characters)`}</label>
              <textarea id="f-scope-reason" name="reason" rows={3} maxlength={4000}></textarea>
            </div>
            <ul id="scope-override-errors" class="errors" aria-live="assertive"></ul>
            <button type="submit">Set the verdict</button>
          </form>
        </details>
        <PanelStatus id="scope-fit-status" />
      </section>
      <section aria-labelledby="h-changes">
        <h2 id="h-changes">What changed since the last approval</h2>
        <div id="changes"></div>
      </section>
      <section aria-labelledby="h-analysis">
        <h2 id="h-analysis">Evidence analysis</h2>
        <div id="analysis"></div>
      </section>
      <section aria-labelledby="h-findings">
        <h2 id="h-findings">Findings</h2>
        <div id="findings" class="table-wrap"></div>
        <PanelStatus id="findings-status" />
      </section>
      <section aria-labelledby="h-tasks">
        <h2 id="h-tasks">Our controls (CUEC tasks)</h2>
        <div id="tasks" class="table-wrap"></div>
        <PanelStatus id="tasks-status" />
      </section>
      <section id="decide" aria-labelledby="h-decide" hidden>
        <h2 id="h-decide">Decision</h2>
        <form id="decision-form" class="stack" novalidate>
          <fieldset class="field">
            <legend>Decision</legend>
            <div class="choices">
              {(['approved', 'approved-with-conditions', 'changes-requested', 'rejected'] as const).map((d, i) => (
                <label class="choice">
                  <input type="radio" name="decision" value={d} checked={i === 0} /> {label(d)}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="field">
            <label for="f-comment">Comment</label>
            <textarea id="f-comment" name="comment" rows={3} required maxlength={4000}></textarea>
          </div>
          <fieldset class="field" id="conditions-field" hidden>
            <legend>Condition of the approval</legend>
            <div class="field">
              <label for="f-condition">Condition</label>
              <input id="f-condition" name="conditions.0.description" maxlength={1000} />
            </div>
            <div class="field">
              <label for="f-condition-due">Condition due date</label>
              <input id="f-condition-due" name="conditions.0.dueDate" type="date" />
            </div>
          </fieldset>
          <ul id="decision-errors" class="errors" aria-live="assertive"></ul>
          <button type="submit" class="primary">
            Record the decision
          </button>
        </form>
      </section>
      <section aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        <ol id="timeline" class="timeline"></ol>
      </section>
    </>
  );
}

export function ReviewQueueView() {
  return (
    <>
      <p>Assessments waiting for a security decision, highest residual risk first, then the earliest due date.</p>
      <div id="queue" class="table-wrap"></div>
    </>
  );
}

export function DashboardView() {
  return (
    <>
      <p id="dashboard-exports" class="actions"></p>
      <div class="grid">
        <section aria-labelledby="h-attention" class="attention-summary">
          <h2 id="h-attention">Needs attention</h2>
          <p id="attention-count"></p>
          <div id="attention-list" class="table-wrap"></div>
        </section>
        <section aria-labelledby="h-overdue-reviews">
          <h2 id="h-overdue-reviews">Overdue reviews</h2>
          <div id="overdue-reviews" class="table-wrap"></div>
        </section>
        <section aria-labelledby="h-ratings">
          <h2 id="h-ratings">Rating distribution</h2>
          <div id="ratings"></div>
        </section>
        <section aria-labelledby="h-expiring">
          <h2 id="h-expiring">Reports expiring within 90 days</h2>
          <div id="expiring"></div>
        </section>
        <section aria-labelledby="h-overdue">
          <h2 id="h-overdue">Overdue assessments</h2>
          <div id="overdue"></div>
        </section>
        <section aria-labelledby="h-concentration">
          <h2 id="h-concentration">Subservice organization concentration</h2>
          <div id="concentration"></div>
        </section>
      </div>
    </>
  );
}

export function AuthCallbackView(props: { hostedSignIn: { domain: string; clientId: string } | undefined }) {
  return (
    <p id="callback" data-domain={props.hostedSignIn?.domain} data-client-id={props.hostedSignIn?.clientId}>
      Finishing sign-in…
    </p>
  );
}

export function OutboxView() {
  return <div id="outbox"></div>;
}

export function PortalOpenView() {
  return (
    <section>
      <p id="open-intro">This link opens your security assessment. Nothing happens until you press the button, so mail scanners cannot use it up.</p>
      <p>
        <button type="button" id="open-assessment" class="primary" hidden>
          Open the assessment
        </button>
      </p>
    </section>
  );
}

export function PortalView(props: { maxUploadBytes: number }) {
  // Everything to press stays hidden until the assessment has arrived (the script shows it): a click before the data
  // would do nothing, or act on an empty page.
  return (
    <>
      <p id="portal-loading" class="loading" role="status">
        Loading your assessment…
      </p>
      <div id="portal-head"></div>
      <div id="progress-area" class="progress-wrap" hidden>
        <span id="progress-label">Progress</span>
        <progress id="progress" max={100} value={0} aria-labelledby="progress-label"></progress>
        <span id="save-state" role="status" aria-live="polite"></span>
      </div>
      <nav id="sections-nav" aria-label="Sections" hidden></nav>
      <form id="questionnaire" novalidate></form>
      <section id="uploads" aria-labelledby="h-uploads" hidden>
        <h2 id="h-uploads">Evidence</h2>
        <div id="ask-again"></div>
        <form id="upload-form" class="stack">
          <p>{`PDF only, up to ${Math.round(props.maxUploadBytes / 1024 / 1024)} MB. Drop a file on the area or choose one.`}</p>
          <div class="field">
            <label for="f-kind">Kind of document</label>
            <select id="f-kind" name="kind">
              {DOCUMENT_KINDS.map((k) => (
                <option value={k}>{label(k)}</option>
              ))}
            </select>
          </div>
          <div id="dropzone" class="dropzone" data-max-bytes={String(props.maxUploadBytes)}>
            <label for="f-file">Choose a PDF or drop it here</label>
            <input id="f-file" name="file" type="file" accept="application/pdf,.pdf" />
          </div>
          <progress id="upload-progress" max={100} value={0} hidden aria-label="Upload progress"></progress>
          <ul id="upload-errors" class="errors" aria-live="assertive"></ul>
        </form>
        <ul id="documents" class="docs"></ul>
      </section>
      <section id="import" aria-labelledby="h-import" hidden>
        <h2 id="h-import">Import answers from CSV</h2>
        <p>
          Download the template of a questionnaire: every question with its id and the answers you have given so far. Fill in the <code>answer</code> column (and optionally <code>comment</code>, <code>compensatingControl</code>, <code>remediationDate</code>) and import it here. Several choices are separated by <code>;</code>.
        </p>
        <div class="field">
          <label for="f-csv-template">Questionnaire</label>
          <select id="f-csv-template"></select>
        </div>
        <p>
          <button type="button" id="csv-download">
            Download the template with your answers (CSV)
          </button>
        </p>
        <div class="field">
          <label for="f-csv">CSV file to import</label>
          <input id="f-csv" type="file" accept=".csv,text/csv" />
        </div>
        <ul id="import-errors" class="errors" aria-live="assertive"></ul>
      </section>
      <section id="submit-area" aria-labelledby="h-submit" hidden>
        <h2 id="h-submit">Submit</h2>
        <div id="missing"></div>
        <p id="submit-done" class="locked-note" tabindex={-1} hidden></p>
        <button type="button" id="review-submit" class="primary">
          Review and submit
        </button>
        <button type="button" id="confirm-submit" class="primary" hidden>
          Submit now
        </button>
        <ul id="submit-errors" class="errors" aria-live="assertive"></ul>
      </section>
    </>
  );
}
