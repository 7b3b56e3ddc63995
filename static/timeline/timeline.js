/* Progressive enhancement for the timeline; every page works without it.
 * - marks the page as scripted, so no-JS-only controls (the Apply button, page numbers) hide;
 * - drops empty filter parameters, so pushed URLs stay short and shareable;
 * - makes the form in htmx's Back snapshots match the URL they are filed under;
 * - keeps leaving the search box from repeating the search it already made;
 * - folds the filter panel on narrow screens. */
document.documentElement.classList.add("js");

document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.formData;
  if (!form || event.detail.verb !== "get") return;
  var keys = Array.from(new Set(Array.from(form.keys())));
  keys.forEach(function (key) {
    var values = form.getAll(key).filter(function (value) { return value !== ""; });
    form.delete(key);
    values.forEach(function (value) { form.append(key, value); });
  });
});

// htmx snapshots the page for Back just before it leaves a URL, when the form already shows
// the next choice. Write the leaving URL's own parameters into the form's attributes instead.
document.addEventListener("htmx:beforeHistorySave", function (event) {
  var params = new URLSearchParams((event.detail.path || window.location.href).split("?")[1] || "");
  document.querySelectorAll("form[role=search] input[name], form[role=search] select[name]").forEach(function (field) {
    var values = params.getAll(field.name);
    if (field.type === "checkbox") {
      field.toggleAttribute("checked", values.indexOf(field.value) >= 0);
    } else if (field.type === "radio") {
      field.toggleAttribute("checked", (values[0] || "") === field.value);
    } else if (field.tagName === "SELECT") {
      Array.from(field.options).forEach(function (option) {
        option.toggleAttribute("selected", (values[0] || "") === option.value);
      });
    } else {
      field.setAttribute("value", values[0] || "");
    }
  });
});

// The search box asks for results as you type; its `change` on leaving the box would ask
// again for the same URL (and file a duplicate Back entry), so the form never hears it.
document.addEventListener("change", function (event) {
  if (event.target.name === "q") event.stopPropagation();
}, true);

document.addEventListener("DOMContentLoaded", function () {
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia("(max-width: 860px)").matches) panel.removeAttribute("open");
});
