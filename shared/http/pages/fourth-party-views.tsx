/** Shells of the fourth-party pages (their script: client/staff/fourth-parties-page.ts). */

export function FourthPartiesView() {
  return (
    <>
      <p>
        The organizations our vendors' current SOC 2 reports name as subservice organizations, and how many of our vendors depend on each. A provider that too many of our tier-1 vendors
        share raises a portfolio finding under the risk policy.
      </p>
      <p id="fp-policy" class="muted"></p>
      <form id="fp-filters" class="filters" aria-label="Order of the providers">
        <div class="field">
          <label for="fp-sort">Order</label>
          <select id="fp-sort" name="sort">
            <option value="concentration">Most tier-1 vendors first</option>
            <option value="name">By name</option>
          </select>
        </div>
      </form>
      <div id="fp-list" class="table-wrap"></div>
    </>
  );
}

export function FourthPartyView() {
  return (
    <>
      <p>
        <a href="/fourth-parties">All fourth parties</a>
      </p>
      <section aria-labelledby="fp-name">
        <h2 id="fp-name">Provider</h2>
        <div id="fp-facts"></div>
        <div id="fp-finding"></div>
      </section>
      <section aria-labelledby="h-fp-vendors">
        <h2 id="h-fp-vendors">Which of our vendors go down if it fails</h2>
        <div id="fp-vendors" class="table-wrap"></div>
      </section>
    </>
  );
}
