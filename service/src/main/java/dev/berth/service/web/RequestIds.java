package dev.berth.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * ARM's request ids: every answer carries a fresh {@code x-ms-request-id} and the caller's {@code
 * x-ms-correlation-request-id} (a fresh one when it sent none), and echoes {@code
 * x-ms-client-request-id} when {@code x-ms-return-client-request-id: true} asks for it, as ARM's
 * resource provider contract says. Both ids are in the log's MDC ({@code requestId}, {@code
 * correlationId}) for every line logged on the request's thread. A caller's id that is not a short
 * token of letters, digits and {@code -._:} is not echoed nor logged (it could forge log lines); a
 * fresh one takes its place.
 */
public class RequestIds extends OncePerRequestFilter {

  public static final String REQUEST_ID = "x-ms-request-id";
  public static final String CORRELATION_ID = "x-ms-correlation-request-id";
  public static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";
  static final String RETURN_CLIENT_REQUEST_ID = "x-ms-return-client-request-id";
  public static final String MDC_REQUEST_ID = "requestId";
  public static final String MDC_CORRELATION_ID = "correlationId";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // An async dispatch (a stream's) keeps the ids its request was answered with.
    String requestId = (String) request.getAttribute(MDC_REQUEST_ID);
    String correlationId = (String) request.getAttribute(MDC_CORRELATION_ID);
    if (requestId == null) {
      requestId = UUID.randomUUID().toString();
      correlationId = token(request.getHeader(CORRELATION_ID));
      if (correlationId == null) {
        correlationId = UUID.randomUUID().toString();
      }
      request.setAttribute(MDC_REQUEST_ID, requestId);
      request.setAttribute(MDC_CORRELATION_ID, correlationId);
    }
    response.setHeader(REQUEST_ID, requestId);
    response.setHeader(CORRELATION_ID, correlationId);
    String clientRequestId = token(request.getHeader(CLIENT_REQUEST_ID));
    if (clientRequestId != null
        && "true".equalsIgnoreCase(request.getHeader(RETURN_CLIENT_REQUEST_ID))) {
      response.setHeader(CLIENT_REQUEST_ID, clientRequestId);
    }
    MDC.put(MDC_REQUEST_ID, requestId);
    MDC.put(MDC_CORRELATION_ID, correlationId);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(MDC_REQUEST_ID);
      MDC.remove(MDC_CORRELATION_ID);
    }
  }

  private static String token(String value) {
    return value != null && TOKEN.matcher(value).matches() ? value : null;
  }
}
