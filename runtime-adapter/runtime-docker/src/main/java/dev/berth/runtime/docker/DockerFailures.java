package dev.berth.runtime.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/** Maps what docker-java throws to the port's typed failures. The only place that knows both. */
final class DockerFailures {

  private DockerFailures() {}

  static RuntimeFailure translate(String operation, RuntimeException e) {
    if (e instanceof RuntimeFailure failure) {
      return failure;
    }
    String message = operation + ": " + firstLine(e.getMessage());
    if (e instanceof NotFoundException) {
      return new RuntimeFailure(Kind.NOT_FOUND, message, e);
    }
    if (e instanceof ConflictException) {
      return new RuntimeFailure(Kind.CONFLICT, message, e);
    }
    if (e instanceof BadRequestException) {
      return new RuntimeFailure(Kind.INVALID_SPEC, message, e);
    }
    if (e instanceof DockerException) {
      // 5xx from a live engine: it answered, so the host is reachable; worth a retry.
      return new RuntimeFailure(Kind.TRANSIENT, message, e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      // SocketTimeoutException is an InterruptedIOException.
      if (t instanceof InterruptedIOException || t instanceof TimeoutException) {
        return new RuntimeFailure(
            Kind.HOST_UNREACHABLE, operation + ": engine did not answer in time", e);
      }
      // Refused connections (ConnectException), a missing socket file and the like.
      if (t instanceof IOException) {
        return new RuntimeFailure(
            Kind.HOST_UNREACHABLE,
            operation + ": engine unreachable: " + firstLine(t.getMessage()),
            e);
      }
    }
    return new RuntimeFailure(Kind.TRANSIENT, message, e);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).trim();
  }
}
