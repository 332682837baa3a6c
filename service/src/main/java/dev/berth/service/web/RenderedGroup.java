package dev.berth.service.web;

import dev.berth.api.server.model.ContainerGroup;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A group resource already rendered to JSON: written into a response as it is, so that answering
 * with an unchanged group costs no mapping and no serialization. Only for answers; nothing reads
 * its fields.
 */
@JsonSerialize(using = RenderedGroup.AsIs.class)
final class RenderedGroup extends ContainerGroup {

  private final String json;

  RenderedGroup(String json) {
    this.json = json;
  }

  String json() {
    return json;
  }

  /** Writes the kept JSON verbatim. */
  static final class AsIs extends ValueSerializer<RenderedGroup> {
    @Override
    public void serialize(RenderedGroup value, JsonGenerator gen, SerializationContext context) {
      gen.writeRawValue(value.json);
    }
  }
}
