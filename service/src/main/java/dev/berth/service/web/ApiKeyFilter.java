package dev.berth.service.web;

import dev.berth.service.access.ApiKeys;
import dev.berth.service.access.Principal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <key>} on every API call (health is open), keeps /admin for
 * the admin key, and refuses a key's calls past its rate limit ({@link RateLimits}).
 */
public class ApiKeyFilter extends OncePerRequestFilter {

  private final ApiKeys keys;
  private final RateLimits limits;

  public ApiKeyFilter(ApiKeys keys, RateLimits limits) {
    this.keys = keys;
    this.limits = limits;
  }

  /**
   * The path as the servlet container decoded and normalised it (path parameters, {@code ..} and
   * percent-escapes resolved), which is what the handlers are matched on; the raw URI is not:
   * {@code /%61dmin/keys} would not start with /admin there.
   */
  private static String path(HttpServletRequest request) {
    String info = request.getPathInfo();
    return request.getServletPath() + (info == null ? "" : info);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = path(request);
    // A terminal's WebSocket is authenticated by its ticket's password (ACI's protocol), not a key.
    return path.equals("/actuator/health")
        || path.startsWith("/actuator/health/")
        || path.startsWith(TerminalWebSocket.PATH)
        // The dashboard's static files hold no data; it signs in with a key on every API call.
        || path.equals("/dashboard")
        || path.startsWith("/dashboard/")
        || path.startsWith("/webjars/")
        // The API's description and Swagger UI's page (ApiDocsController).
        || path.equals("/openapi.yaml")
        || path.equals("/docs")
        || path.startsWith("/docs/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    Optional<Principal> principal = Optional.empty();
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      principal = keys.authenticate(header.substring(7).trim());
    }
    if (principal.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      write(
          response,
          401,
          header == null ? "AuthenticationFailed" : "InvalidAuthenticationToken",
          header == null
              ? "Authentication failed: the Authorization header is missing (Bearer <key>)."
              : "Authentication failed: the bearer key is not valid.");
      return;
    }
    String path = path(request);
    if ((path.equals("/admin") || path.startsWith("/admin/")) && !principal.get().isAdmin()) {
      write(
          response,
          403,
          "AuthorizationFailed",
          "Only the admin key may use /admin (keys, prices, hosts).");
      return;
    }
    if ((path.equals("/actuator") || path.startsWith("/actuator/")) && !principal.get().isAdmin()) {
      write(response, 403, "AuthorizationFailed", "Only the admin key may read metrics.");
      return;
    }
    var wait = limits.refuse(principal.get());
    if (wait.isPresent()) {
      // ARM's throttling answer: 429 with Retry-After in seconds.
      long seconds = RateLimits.retryAfterSeconds(wait.get());
      response.setHeader("Retry-After", Long.toString(seconds));
      write(
          response,
          429,
          "TooManyRequests",
          "The request was throttled: this key may make "
              + "at most its limit of requests per second; retry after "
              + seconds
              + " s.");
      return;
    }
    request.setAttribute(CallerContext.ATTRIBUTE, principal.get());
    chain.doFilter(request, response);
  }

  private static void write(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getWriter().write(ErrorBodies.json(code, message));
  }
}
