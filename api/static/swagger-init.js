/* Starts Swagger UI on /docs. A file, not an inline script, so that the page's
   Content-Security-Policy can forbid inline script. */
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    displayRequestDuration: true,
    validatorUrl: null, // no badge fetched from an online validator
  });
})();
