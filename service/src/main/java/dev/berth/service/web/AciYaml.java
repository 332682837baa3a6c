package dev.berth.service.web;

import dev.berth.api.server.model.ContainerGroup;
import dev.berth.service.containergroup.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * ACI's YAML (what {@code az container create --file} takes and {@code az container export}
 * writes): a container group read from {@code application/yaml} and any answer written as it on
 * {@code Accept: application/yaml}. The YAML is the JSON resource in another syntax, so both go
 * through the application's JSON mapper (its case-insensitive names, its inclusion rules) and the
 * JSON path's validation; only the document's own fields are YAML's: {@code apiVersion} (the
 * request's api-version, written first, ignored when read) and {@code type}, which must be ACI's.
 */
public final class AciYaml extends AbstractHttpMessageConverter<Object> {

  static final MediaType YAML = new MediaType("application", "yaml");
  private static final String TYPE = GroupView.TYPE;

  private final JsonMapper json;
  private final YAMLMapper yaml =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  public AciYaml(JsonMapper json) {
    super(
        StandardCharsets.UTF_8,
        YAML,
        new MediaType("application", "x-yaml"),
        new MediaType("text", "yaml"));
    this.json = json;
  }

  @Override
  protected boolean supports(Class<?> clazz) {
    return true;
  }

  /** Only a group is read from YAML; anything may be written as YAML. */
  @Override
  public boolean canRead(Class<?> clazz, MediaType mediaType) {
    return ContainerGroup.class.isAssignableFrom(clazz) && canRead(mediaType);
  }

  @Override
  protected Object readInternal(Class<?> clazz, HttpInputMessage input) throws IOException {
    JsonNode tree;
    try {
      tree = yaml.readTree(input.getBody());
    } catch (JacksonException e) {
      throw new HttpMessageNotReadableException(
          "The request content is not valid YAML: " + e.getOriginalMessage(), e, input);
    }
    if (!(tree instanceof ObjectNode document)) {
      throw new HttpMessageNotReadableException(
          "The request content is not a YAML mapping (apiVersion, location, name, properties, ...).",
          input);
    }
    document.remove("apiVersion");
    JsonNode type = document.remove("type");
    if (type != null && !type.isNull() && !TYPE.equalsIgnoreCase(type.asString())) {
      throw new InvalidRequestException(
          new dev.berth.service.containergroup.Violation(
              "InvalidResourceType",
              "The document's type is '" + type.asString() + "'; only " + TYPE + " is taken here.",
              "type"));
    }
    try {
      return json.treeToValue(document, clazz);
    } catch (JacksonException e) {
      // The JSON path's answer, naming the field (ApiErrors).
      throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, input);
    }
  }

  @Override
  protected void writeInternal(Object value, HttpOutputMessage output) throws IOException {
    JsonNode tree =
        value instanceof RenderedGroup rendered
            ? json.readTree(rendered.json())
            : json.valueToTree(value);
    if (value instanceof ContainerGroup && tree instanceof ObjectNode resource) {
      ObjectNode document = json.createObjectNode();
      String apiVersion = apiVersion();
      if (apiVersion != null) {
        document.put("apiVersion", apiVersion);
      }
      document.setAll(resource);
      tree = document;
    }
    yaml.writeValue(output.getBody(), tree);
  }

  private static String apiVersion() {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
      return request.getRequest().getParameter("api-version");
    }
    return null;
  }

  /** Whether a request's body was declared YAML. */
  static boolean isYaml(MediaType contentType) {
    return contentType != null && contentType.getSubtype().endsWith("yaml");
  }
}
