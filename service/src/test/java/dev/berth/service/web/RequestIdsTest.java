package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestIdsTest {

  private final RequestIds filter = new RequestIds();

  /** Runs the filter; returns the MDC as the request's handler saw it. */
  private Map<String, String> handle(
      MockHttpServletRequest request, MockHttpServletResponse response) throws Exception {
    Map<String, String> seen = new HashMap<>();
    filter.doFilter(
        request,
        response,
        (req, res) -> {
          seen.put(RequestIds.MDC_REQUEST_ID, MDC.get(RequestIds.MDC_REQUEST_ID));
          seen.put(RequestIds.MDC_CORRELATION_ID, MDC.get(RequestIds.MDC_CORRELATION_ID));
        });
    return seen;
  }

  private static MockHttpServletRequest withCorrelation(String correlationId) {
    var request = new MockHttpServletRequest("GET", "/subscriptions");
    request.addHeader(RequestIds.CORRELATION_ID, correlationId);
    return request;
  }

  @Test
  void everyAnswerHasAFreshRequestIdAndTheCallersCorrelationIdBothInTheLogContext()
      throws Exception {
    var response = new MockHttpServletResponse();
    Map<String, String> seen = handle(withCorrelation("corr-1"), response);

    String requestId = response.getHeader(RequestIds.REQUEST_ID);
    assertThat(requestId).matches("[0-9a-f-]{36}");
    assertThat(response.getHeader(RequestIds.CORRELATION_ID)).isEqualTo("corr-1");
    assertThat(seen)
        .containsEntry(RequestIds.MDC_REQUEST_ID, requestId)
        .containsEntry(RequestIds.MDC_CORRELATION_ID, "corr-1");
    // Nothing is left behind for the thread's next request.
    assertThat(MDC.get(RequestIds.MDC_REQUEST_ID)).isNull();
    assertThat(MDC.get(RequestIds.MDC_CORRELATION_ID)).isNull();

    var second = new MockHttpServletResponse();
    handle(new MockHttpServletRequest("GET", "/subscriptions"), second);
    assertThat(second.getHeader(RequestIds.REQUEST_ID)).isNotEqualTo(requestId);
    assertThat(second.getHeader(RequestIds.CORRELATION_ID)).matches("[0-9a-f-]{36}");
  }

  @Test
  void theClientRequestIdIsEchoedOnlyWhenAskedFor() throws Exception {
    var asked = new MockHttpServletRequest("GET", "/subscriptions");
    asked.addHeader(RequestIds.CLIENT_REQUEST_ID, "client-7");
    asked.addHeader("x-ms-return-client-request-id", "true");
    var echoed = new MockHttpServletResponse();
    handle(asked, echoed);
    assertThat(echoed.getHeader(RequestIds.CLIENT_REQUEST_ID)).isEqualTo("client-7");

    var notAsked = new MockHttpServletRequest("GET", "/subscriptions");
    notAsked.addHeader(RequestIds.CLIENT_REQUEST_ID, "client-7");
    var silent = new MockHttpServletResponse();
    handle(notAsked, silent);
    assertThat(silent.getHeader(RequestIds.CLIENT_REQUEST_ID)).isNull();
  }

  @Test
  void aCorrelationIdThatCouldForgeLogLinesIsReplaced() throws Exception {
    var response = new MockHttpServletResponse();
    Map<String, String> seen = handle(withCorrelation("x\n2026-12-03 INFO forged line"), response);

    String correlation = response.getHeader(RequestIds.CORRELATION_ID);
    assertThat(correlation).matches("[0-9a-f-]{36}");
    assertThat(seen).containsEntry(RequestIds.MDC_CORRELATION_ID, correlation);
  }
}
