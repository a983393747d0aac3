// Starts Swagger UI on /docs; a file of its own so that the Content-Security-Policy needs no inline script.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
