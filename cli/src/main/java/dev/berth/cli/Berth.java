package dev.berth.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.sdk.ApiClient;
import dev.berth.sdk.ApiException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth}: Berth from the command line, with {@code az container}'s flags where they exist.
 *
 * <p>Exit codes a script can rely on: 0 done; 1 Berth refused the request (4xx: the message is
 * ARM's, on stderr); 2 the command line is wrong; 3 Berth could not be reached, or no login; 4
 * Berth failed (5xx); {@code exec} passes the command's own exit code through.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    version = "berth 0.1.0",
    description = "Berth, a self-hosted Azure Container Instances, from the command line.",
    subcommands = {
      Berth.Login.class,
      Containers.class,
      Operations.Hosts.class,
      Operations.Usage.class,
      Operations.InvoiceCommand.class
    })
public final class Berth implements Runnable {

  static final String API_VERSION = "2023-05-01";
  static final int REFUSED = 1;
  static final int UNREACHABLE = 3;
  static final int FAILED = 4;

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new Berth());
    line.setExecutionExceptionHandler(Berth::failed);
    return line;
  }

  /** What went wrong, said once on stderr, and its exit code. */
  private static int failed(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
    PrintWriter err = line.getErr();
    if (e instanceof ApiException api) {
      if (api.getCode() == 0) {
        err.println("berth: could not reach Berth: " + rootMessage(api));
        return UNREACHABLE;
      }
      err.println("berth: " + errorMessage(api.getCode(), api.getResponseBody()));
      return api.getCode() >= 500 ? FAILED : REFUSED;
    }
    if (e instanceof Refused refused) {
      err.println("berth: " + refused.getMessage());
      return refused.exitCode;
    }
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      err.println("berth: could not reach Berth: " + rootMessage(e));
      return UNREACHABLE;
    }
    err.println("berth: " + rootMessage(e));
    return FAILED;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** ARM's error body as one line: "(Code) message [target]". */
  static String errorMessage(int status, String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      if (error.has("code")) {
        String target = error.path("target").asText("");
        return "("
            + error.path("code").asText()
            + ") "
            + error.path("message").asText()
            + (target.isEmpty() ? "" : " [" + target + "]");
      }
    } catch (Exception notJson) {
      // said as it is below
    }
    return "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body.strip());
  }

  /** A failure the command itself found, with its exit code. */
  static final class Refused extends RuntimeException {
    final int exitCode;

    Refused(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  /** The connection every command but login uses. */
  static final class Connection {
    final Profile profile;
    final ApiClient client;

    Connection(String subscriptionOption) throws Exception {
      Profile stored = Profile.load();
      if (stored.url() == null || stored.key() == null) {
        throw new Refused(
            UNREACHABLE,
            "not logged in: run berth login --url URL --key KEY (or set BERTH_URL, BERTH_KEY)");
      }
      profile =
          new Profile(
              stored.url(),
              stored.key(),
              subscriptionOption != null ? subscriptionOption : stored.subscription());
      client = new ApiClient();
      client.updateBaseUri(stored.url());
      client.setReadTimeout(Duration.ofSeconds(120));
      client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + stored.key()));
    }

    String subscription() {
      if (profile.subscription() == null) {
        throw new Refused(
            CommandLine.ExitCode.USAGE,
            "no subscription: give --subscription, or berth login --subscription");
      }
      return profile.subscription();
    }

    /** A request of Berth's API outside the SDK (YAML bodies), with the key. */
    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      return HttpClient.newHttpClient()
          .send(
              request.header("Authorization", "Bearer " + profile.key()).build(),
              HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
      return URI.create(profile.url().replaceAll("/+$", "") + path);
    }
  }

  /** Output as az gives it: {@code -o json} (the default), {@code yaml} or {@code table}. */
  enum Output {
    json,
    yaml,
    table
  }

  static void print(PrintWriter out, Output output, Object value, List<String[]> table)
      throws Exception {
    switch (output) {
      case json -> out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      case yaml -> out.print(YAML.writeValueAsString(value));
      case table -> {
        int columns = table.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : table) {
          for (int i = 0; i < columns; i++) {
            widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
          }
        }
        for (int r = 0; r < table.size(); r++) {
          StringBuilder line = new StringBuilder();
          for (int i = 0; i < columns; i++) {
            String cell = table.get(r)[i] == null ? "" : table.get(r)[i];
            line.append(
                i == columns - 1 ? cell : String.format("%-" + (widths[i] + 2) + "s", cell));
          }
          out.println(line.toString().stripTrailing());
          if (r == 0) {
            StringBuilder rule = new StringBuilder();
            for (int i = 0; i < columns; i++) {
              rule.append("-".repeat(widths[i])).append(i == columns - 1 ? "" : "  ");
            }
            out.println(rule);
          }
        }
      }
    }
    out.flush();
  }

  @Command(
      name = "login",
      mixinStandardHelpOptions = true,
      description = "Remember Berth's URL, a key and a default subscription (checked first).")
  static final class Login implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--url",
        required = true,
        description = "Berth's address, e.g. http://127.0.0.1:8080")
    String url;

    @Option(
        names = "--key",
        required = true,
        description = "An API key (the admin key or a subscription's)")
    String key;

    @Option(names = "--subscription", description = "The subscription commands use by default")
    String subscription;

    @Override
    public Integer call() throws Exception {
      // A key is checked before it is kept: GET /subscriptions answers any valid key.
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              url.replaceAll("/+$", "")
                                  + "/subscriptions?api-version="
                                  + API_VERSION))
                      .header("Authorization", "Bearer " + key)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new Refused(
            answer.statusCode() >= 500 ? FAILED : REFUSED,
            errorMessage(answer.statusCode(), answer.body()));
      }
      new Profile(url, key, subscription).save();
      spec.commandLine()
          .getOut()
          .println("Logged in to " + url + " (kept in " + Profile.path() + ")");
      return 0;
    }
  }

  static String readFile(Path file) throws Exception {
    if (!Files.isReadable(file)) {
      throw new Refused(CommandLine.ExitCode.USAGE, "cannot read " + file);
    }
    return Files.readString(file);
  }
}
