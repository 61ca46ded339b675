// Starts Swagger UI on /api/docs; a file, not an inline script, so the CSP can forbid those.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.specUrl, dom_id: "#swagger-ui" });
});
