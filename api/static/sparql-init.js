/* Starts YASGUI on /ui/sparql. A file, not an inline script, so that the page's
   Content-Security-Policy can forbid inline script.

   The page works without it: its form runs the query on the server. This script reads what
   YASGUI starts with from the server (the element's data-config: endpoint, prefixes, a default
   query, the ontology's terms, the named queries), starts it, and only then hides the form. If
   anything fails before that, the form stays.

   Nothing here reaches another machine: completion uses the prefixes and terms the server sent
   (not prefix.cc or Linked Open Vocabularies), and queries go to this site's /sparql.

   The page allows inline style only with the nonce of this script's tag, and YASGUI's table
   writes a stylesheet (its column resizer's): so this script, loaded before YASGUI's bundle, gives
   every <style> element created on the page the nonce, and starts YASGUI once the page has loaded. */
(function () {
  "use strict";

  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) {
    var createElement = document.createElement;
    document.createElement = function (name, options) {
      var element = createElement.call(document, name, options);
      if (String(name).toLowerCase() === "style") {
        element.nonce = nonce;
      }
      return element;
    };
  }

  function startsWith(list) {
    return function (yasqe, token) {
      var start = (token && token.autocompletionString) || "";
      return list.filter(function (iri) {
        return iri.indexOf(start) === 0;
      }).slice(0, 50);
    };
  }

  /* The service answers errors as JSON ({"message", "line", "column", ...}); show its message,
     which is one sentence that names the line and column, and a button that goes there. */
  function errorRenderer(current) {
    return function (error) {
      var body;
      try {
        body = JSON.parse(error && error.text);
      } catch (ignored) {
        return undefined;
      }
      if (!body || typeof body.message !== "string") {
        return undefined;
      }
      var box = document.createElement("div");
      box.className = "sparql-error";
      var message = document.createElement("p");
      message.setAttribute("role", "alert");
      message.textContent = body.message;
      box.appendChild(message);
      if (typeof body.line === "number") {
        var go = document.createElement("button");
        go.type = "button";
        go.className = "yasr_btn";
        go.textContent = "Show the place in the query";
        go.addEventListener("click", function () {
          var yasqe = current().getTab().getYasqe();
          yasqe.focus();
          yasqe.setCursor({ line: body.line - 1, ch: Math.max((body.column || 1) - 1, 0) });
        });
        box.appendChild(go);
      }
      return box;
    };
  }

  /* A "Chart" view of SELECT results: a bar for each row, its length the first column whose every
     value is a number, its label the other columns. Drawn as SVG elements (no inline style, no
     library, nothing fetched), up to 60 bars; hidden when no column is numeric. */
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 60;

  function svgElement(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) {
      element.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  function chartData(results) {
    if (!results || !results.getVariables || !results.getBindings) {
      return null;
    }
    var variables = results.getVariables() || [];
    var rows = results.getBindings() || [];
    if (!variables.length || !rows.length) {
      return null;
    }
    var numeric = variables.filter(function (name) {
      return rows.every(function (row) {
        return row[name] && row[name].type !== "uri" && row[name].value !== "" && isFinite(Number(row[name].value));
      });
    });
    if (!numeric.length) {
      return null;
    }
    var value = numeric[0];
    var labels = variables.filter(function (name) {
      return name !== value;
    });
    return {
      value: value,
      labels: labels,
      bars: rows.slice(0, MAX_BARS).map(function (row) {
        var label = labels
          .map(function (name) {
            return row[name] ? row[name].value.replace(/^.*[#/]/, "") : "";
          })
          .filter(Boolean)
          .join(" · ");
        return { label: label || "(row)", value: Number(row[value].value) };
      }),
      total: rows.length,
    };
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  ChartPlugin.prototype.canHandleResults = function () {
    return chartData(this.yasr.results) !== null;
  };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.className = "chart-icon";
    icon.textContent = "▤";
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var data = chartData(this.yasr.results);
    var figure = document.createElement("figure");
    figure.className = "results-chart";
    if (!data) {
      figure.textContent = "No column of these results is numeric: nothing to chart.";
      this.yasr.resultsEl.appendChild(figure);
      return;
    }
    var labelWidth = 330, plotWidth = 400, row = 24, top = 8;
    var height = top * 2 + data.bars.length * row;
    var largest = Math.max.apply(null, data.bars.map(function (bar) { return Math.abs(bar.value); })) || 1;
    var svg = svgElement("svg", {
      viewBox: "0 0 " + (labelWidth + plotWidth + 60) + " " + height,
      width: labelWidth + plotWidth + 60,
      height: height,
      role: "img",
      "aria-label": "Bar chart of " + data.value + " by " + (data.labels.join(", ") || "row"),
    });
    data.bars.forEach(function (bar, index) {
      var y = top + index * row;
      var length = Math.max(1, Math.round((Math.abs(bar.value) / largest) * plotWidth));
      svg.appendChild(svgElement("text", { x: labelWidth - 8, y: y + 16, "text-anchor": "end", "font-size": 13 },
        bar.label.length > 42 ? bar.label.slice(0, 41) + "…" : bar.label));
      svg.appendChild(svgElement("rect", { x: labelWidth, y: y + 4, width: length, height: row - 8, fill: "#2171b5" }));
      svg.appendChild(svgElement("text", { x: labelWidth + length + 6, y: y + 16, "font-size": 13 }, String(bar.value)));
    });
    figure.appendChild(svg);
    var caption = document.createElement("figcaption");
    caption.textContent = data.value + " by " + (data.labels.join(", ") || "row") +
      (data.total > data.bars.length ? " (the first " + data.bars.length + " of " + data.total + " rows)" : "");
    figure.appendChild(caption);
    this.yasr.resultsEl.appendChild(figure);
  };

  function start(host, config) {
    var endpoint = new URL(config.endpoint, window.location.href).href;
    var Yasqe = window.Yasgui.Yasqe;
    var prefixes = Object.keys(config.prefixes).map(function (prefix) {
      return prefix + ": <" + config.prefixes[prefix] + ">";
    });
    Yasqe.forkAutocompleter("prefixes", { name: "coprokgPrefixes", get: prefixes, persistenceId: null }, false);
    Yasqe.forkAutocompleter("class", { name: "coprokgClasses", get: startsWith(config.terms.classes) }, false);
    Yasqe.forkAutocompleter("property", { name: "coprokgProperties", get: startsWith(config.terms.properties) }, false);
    Yasqe.defaults.autocompleters = ["variables", "coprokgPrefixes", "coprokgClasses", "coprokgProperties"];
    Yasqe.defaults.editorHeight = "28rem"; // the preloaded prefixes and the query below them (a tab's own height wins)

    var yasgui;
    window.Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
    window.Yasgui.Yasr.defaults.errorRenderers = [errorRenderer(function () {
      return yasgui;
    })];
    host.hidden = false; // the editor measures itself as it starts: it must be on screen
    try {
      yasgui = new window.Yasgui(host, {
        autofocus: false, // Tab must move through the page first (the skip link), not indent in the editor
        persistenceId: "coprokg-sparql " + endpoint,
        tabName: "Query",
        requestConfig: { endpoint: endpoint, method: "POST" },
        copyEndpointOnNewTab: false,
        endpointCatalogueOptions: {
          getData: function () {
            return [{ endpoint: endpoint }];
          },
        },
        populateFromUrl: function (tab) {
          // a shared link (?query=…) opens a tab on this endpoint, without the page's other parameters
          tab.requestConfig.endpoint = endpoint;
          tab.requestConfig.args = [];
          return tab;
        },
        yasqe: { value: config.defaultQuery },
        yasr: { prefixes: config.prefixes, defaultPlugin: "table", pluginOrder: ["table", "chart", "response"] },
      });
    } catch (error) {
      host.hidden = true;
      throw error;
    }
    document.documentElement.classList.add("has-yasgui");

    var examples = {};
    config.examples.forEach(function (example) {
      examples[example.name] = example;
    });

    function tabNamed(name) {
      var ids = yasgui.persistentConfig.getTabs();
      for (var i = 0; i < ids.length; i++) {
        var tab = yasgui.getTab(ids[i]);
        if (tab && tab.getName() === name) {
          return tab;
        }
      }
      return undefined;
    }

    /* A named query opens in a tab of its own (the same tab when it is open already) and runs. */
    function openExample(name) {
      var example = examples[name];
      if (!example) {
        return false;
      }
      var tab = tabNamed(example.title);
      if (tab) {
        yasgui.selectTabId(tab.getId());
        tab.setQuery(example.query);
      } else {
        tab = yasgui.addTab(true, { name: example.title, yasqe: { value: example.query } });
      }
      document.querySelectorAll("a[data-example]").forEach(function (link) {
        if (link.dataset.example === name) {
          link.setAttribute("aria-current", "true");
        } else {
          link.removeAttribute("aria-current");
        }
      });
      tab.query().catch(function () {});
      return true;
    }

    document.querySelectorAll("a[data-example]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return; // a new window or tab gets the page with the example, as without JavaScript
        }
        if (openExample(link.dataset.example)) {
          event.preventDefault();
          window.history.replaceState(null, "", link.href);
          host.scrollIntoView({ block: "start" });
        }
      });
    });
    var asked = new URLSearchParams(window.location.search).get("example");
    if (asked) {
      openExample(asked);
    }

    /* IRIs of coprokg's cases and terms lead to their pages here, as in the table without JavaScript. */
    host.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.iri");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
        return;
      }
      var iri = link.getAttribute("href") || "";
      var bases = Object.keys(config.pages);
      for (var i = 0; i < bases.length; i++) {
        var rest = iri.slice(bases[i].length);
        if (iri.indexOf(bases[i]) === 0 && rest && !/[/#?]/.test(rest)) {
          event.preventDefault();
          window.location.assign(config.pages[bases[i]] + rest);
          return;
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var host = document.getElementById("yasgui");
    if (!host || typeof window.Yasgui !== "function") {
      return; // YASGUI's files are not there: the form stays
    }
    fetch(host.dataset.config, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " for " + host.dataset.config);
        }
        return response.json();
      })
      .then(function (config) {
        start(host, config);
      })
      .catch(function (error) {
        console.warn("YASGUI did not start; the form stays:", error);
      });
  });
})();
