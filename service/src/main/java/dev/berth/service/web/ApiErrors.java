package dev.berth.service.web;

import dev.berth.api.server.model.CloudError;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.service.containergroup.GroupConflictException;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.scheduling.InsufficientCapacityException;
import dev.berth.service.scheduling.NoHostInZoneException;
import dev.berth.service.workload.ContainerNotFoundException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Every failure leaves as ARM's error body with a 4xx that names the rule and the field; a 5xx only
 * for Berth's own faults, and never with a stack trace.
 */
@RestControllerAdvice
public class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<CloudError> invalid(InvalidRequestException e) {
    return ErrorBodies.of(HttpStatus.BAD_REQUEST, e.violations());
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<CloudError> notFound(NotFoundException e) {
    return ErrorBodies.of(HttpStatus.NOT_FOUND, e.code(), e.getMessage(), e.target());
  }

  @ExceptionHandler(ContainerNotFoundException.class)
  ResponseEntity<CloudError> noContainer(ContainerNotFoundException e) {
    return ErrorBodies.of(
        HttpStatus.NOT_FOUND, "ContainerNotFound", e.getMessage(), "containerName");
  }

  @ExceptionHandler(InsufficientCapacityException.class)
  ResponseEntity<CloudError> capacity(InsufficientCapacityException e) {
    return ErrorBodies.of(
        HttpStatus.CONFLICT, "InsufficientCapacity", e.getMessage(), "properties.containers");
  }

  @ExceptionHandler(dev.berth.service.host.HostNotAnswering.class)
  ResponseEntity<CloudError> hostNotAnswering(dev.berth.service.host.HostNotAnswering e) {
    return ErrorBodies.of(
        HttpStatus.UNPROCESSABLE_CONTENT, "HostNotAnswering", e.getMessage(), "endpoint");
  }

  @ExceptionHandler(dev.berth.service.host.HostNotEmpty.class)
  ResponseEntity<CloudError> hostNotEmpty(dev.berth.service.host.HostNotEmpty e) {
    return ErrorBodies.of(HttpStatus.CONFLICT, "HostNotEmpty", e.getMessage(), "hostId");
  }

  @ExceptionHandler(dev.berth.service.host.RegisteringHost.HostBeingRemoved.class)
  ResponseEntity<CloudError> hostBeingRemoved(
      dev.berth.service.host.RegisteringHost.HostBeingRemoved e) {
    return ErrorBodies.of(HttpStatus.CONFLICT, "HostBeingRemoved", e.getMessage(), "hostId");
  }

  @ExceptionHandler(NoHostInZoneException.class)
  ResponseEntity<CloudError> noHostInZone(NoHostInZoneException e) {
    return ErrorBodies.of(HttpStatus.CONFLICT, "NoHostInZone", e.getMessage(), "zones");
  }

  /** A deployment that would pass a quota: 400 QuotaExceeded, ACI's ContainerGroupQuotaReached. */
  @ExceptionHandler(dev.berth.service.containergroup.QuotaExceededException.class)
  ResponseEntity<CloudError> quotaReached(
      dev.berth.service.containergroup.QuotaExceededException e) {
    // The code the issue and ARM's other providers use on top; ACI's own in details, so that a
    // script written against ACI finds the code it knows.
    return ErrorBodies.withDetail(
        HttpStatus.BAD_REQUEST,
        "QuotaExceeded",
        "ContainerGroupQuotaReached",
        e.getMessage(),
        e.target());
  }

  @ExceptionHandler(GroupConflictException.class)
  ResponseEntity<CloudError> conflict(GroupConflictException e) {
    return ErrorBodies.of(HttpStatus.CONFLICT, e.code(), e.getMessage(), null);
  }

  @ExceptionHandler({ConcurrencyFailureException.class, DataIntegrityViolationException.class})
  ResponseEntity<CloudError> concurrent(RuntimeException e) {
    return ErrorBodies.of(
        HttpStatus.CONFLICT,
        "Conflict",
        "Another request changed this resource at the same time; retry the request.",
        null);
  }

  /** A connection failure (SQLState class 08) anywhere in the causes. */
  private static boolean lostDatabase(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof java.sql.SQLTransientConnectionException) {
        return true;
      }
      // The pool's own word for a connection the server dropped (it sets no SQLState).
      if (t instanceof java.sql.SQLException && "Connection is closed".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** The database cannot be reached: nothing was done, and saying 500 would hide why. */
  @ExceptionHandler({
    org.springframework.dao.DataAccessResourceFailureException.class,
    org.springframework.dao.TransientDataAccessResourceException.class,
    org.springframework.transaction.CannotCreateTransactionException.class
  })
  ResponseEntity<CloudError> databaseUnavailable(Exception e) {
    log.warn("database unavailable: {}", e.getMessage());
    return ErrorBodies.of(
        HttpStatus.SERVICE_UNAVAILABLE,
        "DatabaseUnavailable",
        "Berth's database is not reachable; nothing was changed. Retry the request.",
        null);
  }

  @ExceptionHandler(RuntimeFailure.class)
  ResponseEntity<CloudError> runtime(RuntimeFailure e) {
    return ErrorBodies.of(
        HttpStatus.SERVICE_UNAVAILABLE,
        "HostUnavailable",
        "The container host did not complete the operation: " + e.getMessage(),
        null);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<CloudError> unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getMostSpecificCause();
    if (cause instanceof DatabindException bind && !bind.getPath().isEmpty()) {
      String target =
          bind.getPath().stream()
              .map(
                  r ->
                      r.getPropertyName() != null
                          ? "." + r.getPropertyName()
                          : "[" + r.getIndex() + "]")
              .collect(Collectors.joining())
              .replaceFirst("^\\.", "");
      return ErrorBodies.of(
          HttpStatus.BAD_REQUEST,
          "InvalidRequestContent",
          "The request content was invalid: the value of '"
              + target
              + "' has the wrong type or format.",
          target);
    }
    // A parser's own exception (YAML's) may sit under Jackson's, which has the readable message.
    if (!(cause instanceof JacksonException)) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof JacksonException) {
          cause = t;
          break;
        }
      }
    }
    if (cause instanceof JacksonException) {
      return ErrorBodies.of(
          HttpStatus.BAD_REQUEST,
          "InvalidRequestContent",
          "The request content is not valid "
              + (e.getHttpInputMessage() != null
                      && AciYaml.isYaml(e.getHttpInputMessage().getHeaders().getContentType())
                  ? "YAML: "
                  : "JSON: ")
              + ((JacksonException) cause).getOriginalMessage(),
          "");
    }
    return ErrorBodies.of(
        HttpStatus.BAD_REQUEST,
        "InvalidRequestContent",
        "The request body is missing or unreadable.",
        "");
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<CloudError> missingParameter(MissingServletRequestParameterException e) {
    if ("api-version".equals(e.getParameterName())) {
      return ErrorBodies.of(
          HttpStatus.BAD_REQUEST,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.",
          "api-version");
    }
    return ErrorBodies.of(
        HttpStatus.BAD_REQUEST,
        "MissingParameter",
        "The query parameter '" + e.getParameterName() + "' is required.",
        e.getParameterName());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<CloudError> typeMismatch(MethodArgumentTypeMismatchException e) {
    return ErrorBodies.of(
        HttpStatus.BAD_REQUEST,
        "InvalidParameter",
        "The parameter '" + e.getName() + "' has the wrong type.",
        e.getName());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<CloudError> method(HttpRequestMethodNotSupportedException e) {
    return ErrorBodies.of(
        HttpStatus.METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        "The method " + e.getMethod() + " is not allowed here.",
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<CloudError> mediaType(HttpMediaTypeNotSupportedException e) {
    return ErrorBodies.of(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "UnsupportedMediaType",
        "The request body must be application/json.",
        null);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<CloudError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return ErrorBodies.of(
        HttpStatus.NOT_ACCEPTABLE, "NotAcceptable", "Responses are application/json.", null);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<CloudError> noRoute(NoResourceFoundException e) {
    return ErrorBodies.of(
        HttpStatus.NOT_FOUND, "NotFound", "There is no such path: /" + e.getResourcePath(), null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<CloudError> unexpected(Exception e) {
    if (lostDatabase(e)) {
      // However the persistence layer wrapped it (JPA, a failed rollback), the cause is the same.
      return databaseUnavailable(e);
    }
    log.error("unexpected failure", e);
    return ErrorBodies.of(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "InternalServerError",
        "Berth failed to handle the request. The failure was logged; the request may be retried.",
        null);
  }
}
