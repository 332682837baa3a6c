package dev.berth.service.web;

import dev.berth.api.server.model.ContainerGroup;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A group resource already rendered to JSON: written into a response as it is, so that answering
 * with an unchanged group costs no mapping and no serialization. The rendering keeps its UTF-8
 * bytes, encoded once, so that a response copies them instead of encoding the text again. Only for
 * answers; nothing reads its fields.
 */
@JsonSerialize(using = RenderedGroup.AsIs.class)
final class RenderedGroup extends ContainerGroup {

  private final SerializedString json;

  /**
   * @param json a rendering whose UTF-8 bytes are already encoded ({@link #encoded})
   */
  RenderedGroup(SerializedString json) {
    this.json = json;
  }

  RenderedGroup(String json) {
    this(encoded(json));
  }

  /** The rendering with its UTF-8 bytes encoded now, once, for every answer that writes it. */
  static SerializedString encoded(String json) {
    SerializedString encoded = new SerializedString(json);
    encoded.asUnquotedUTF8();
    return encoded;
  }

  String json() {
    return json.getValue();
  }

  /** Writes the kept JSON verbatim. */
  static final class AsIs extends ValueSerializer<RenderedGroup> {
    @Override
    public void serialize(RenderedGroup value, JsonGenerator gen, SerializationContext context) {
      gen.writeRawValue(value.json);
    }
  }
}
