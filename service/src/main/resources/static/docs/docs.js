// Berth's own openapi.yaml, browsed in Swagger UI. "Authorize" takes an API key (bearer); calls
// made with "Try it out" go to this Berth.
window.ui = SwaggerUIBundle({
  url: "../openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
});
