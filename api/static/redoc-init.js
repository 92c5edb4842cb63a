/* Starts Redoc on /redoc. A file, not an inline script, so that the page's
   Content-Security-Policy can forbid inline script.

   The page allows inline style only with the nonce of this script's tag. Redoc hands it to the
   stylesheets it generates, but its bundle also adds a stylesheet (its scrollbar's) while it
   loads, before Redoc.init runs: so this script, loaded before the bundle, gives every <style>
   element created on the page the nonce. */
(function () {
  "use strict";
  var nonce = document.currentScript.nonce;
  var createElement = document.createElement;
  document.createElement = function (name, options) {
    var element = createElement.call(document, name, options);
    if (String(name).toLowerCase() === "style") {
      element.nonce = nonce;
    }
    return element;
  };
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("redoc");
    Redoc.init(container.dataset.openapiUrl, { nonce: nonce, expandResponses: "200,201" }, container);
  });
})();
