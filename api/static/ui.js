// coprokg pages work without this script; it only adds conveniences:
// - a drop-down's help text follows the chosen value (its definition from the ontology);
// - the actor drop-downs show the names typed in the actor rows;
// - Ctrl+Enter (or Cmd+Enter) in the SPARQL editor runs the query.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-help]").forEach(function (select) {
    select.addEventListener("change", function () {
      var help = document.getElementById(select.dataset.help);
      var option = select.options[select.selectedIndex];
      if (help) {
        help.textContent = option && option.dataset.definition ? option.dataset.definition : "";
      }
    });
  });

  function renameActors() {
    var names = {};
    document.querySelectorAll("input.actor-label").forEach(function (input) {
      var n = input.dataset.actor;
      names[n] = input.value.trim() ? "Actor " + n + ": " + input.value.trim() : "Actor " + n;
    });
    document.querySelectorAll("select.actor-select").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (names[option.value]) {
          option.textContent = names[option.value];
        }
      });
    });
  }
  document.querySelectorAll("input.actor-label").forEach(function (input) {
    input.addEventListener("input", renameActors);
  });

  var query = document.getElementById("f-query");
  if (query) {
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        query.form.requestSubmit ? query.form.requestSubmit() : query.form.submit();
      }
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary && !document.querySelector("[autofocus]")) {
    summary.focus();
  }
});
