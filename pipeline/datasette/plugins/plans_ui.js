// Column descriptions: a toggle, and each one the tooltip of its column's header.
(function () {
  const list = document.querySelector("dl.column-descriptions");
  if (list) {
    const toggle = document.createElement("details");
    toggle.className = "column-descriptions-toggle";
    toggle.innerHTML = "<summary>What the columns mean</summary>";
    list.parentNode.insertBefore(toggle, list);
    toggle.appendChild(list);
  }
  // Rows first: the facets follow the table, and a link above it leads to them.
  const table = document.querySelector(".table-wrapper");
  const facets = [".suggested-facets", ".facet-results"].map((s) => document.querySelector(s)).filter(Boolean);
  if (table && facets.length) {
    facets.reverse().forEach((node) => table.after(node));
    const link = document.createElement("small");
    link.className = "facets-below";
    link.innerHTML = ' · <a href="#facets">facets</a> below the rows';
    facets[facets.length - 1].id = facets[facets.length - 1].id || "facets";
    const count = document.querySelector(".content h3");
    if (count) { count.appendChild(link); } else { table.before(link); }
  }
  document.querySelectorAll("th[data-column-description]").forEach((th) => {
    th.title = th.getAttribute("data-column-description");
  });
  // A chart link sets datasette-vega's options (in the fragment), which it reads when the page loads.
  document.querySelectorAll("a.chart-link").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    window.location.hash = link.getAttribute("href");
    window.location.reload();
  }));
  // Canned-query parameters whose values the corpus knows become choice lists.
  const form = document.querySelector("form.sql");
  const database = document.body.dataset.plansDatabase;
  if (!form || !database) { return; }
  const choices = {
    theme: "select id as value, label || ' (' || id || ')' as text from themes order by label",
    county: "select distinct county as value, county as text from document_counties order by county",
    county_a: "select distinct county as value, county as text from document_counties order by county",
    county_b: "select distinct county as value, county as text from document_counties order by county",
  };
  Object.entries(choices).forEach(([name, sql]) => {
    const input = form.querySelector(`input[name="${name}"]`);
    if (!input) { return; }
    fetch(`/${database}.json?_shape=array&sql=${encodeURIComponent(sql)}`).then((r) => r.json()).then((rows) => {
      const select = document.createElement("select");
      select.name = name; select.id = input.id;
      select.add(new Option("(any)", ""));
      rows.forEach((row) => select.add(new Option(row.text, row.value, false, row.value === input.value)));
      input.replaceWith(select);
    });
  });
})();
