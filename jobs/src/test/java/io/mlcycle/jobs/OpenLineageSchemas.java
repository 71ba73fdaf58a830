package io.mlcycle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenLineage JSON schemas, read from the copies under {@code openlineage-spec/} (whose folders mirror
 * the schema URLs, so no network is needed): a run event must validate against the event schema, and each
 * of its standard facets against the schema its {@code _schemaURL} names.
 */
final class OpenLineageSchemas {
  private static final String SPEC = "https://openlineage.io/spec/";
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
      builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SPEC, "classpath:openlineage-spec/")));
  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .formatAssertionsEnabled(true).build();

  private OpenLineageSchemas() {}

  /** Every violation of the event and its facets, each prefixed with where; empty when the event is valid. */
  static List<String> violations(JsonNode event) {
    List<String> violations = new ArrayList<>(validate("event", schema(SPEC + "2-0-2/OpenLineage.json"), event));
    facets("run", event.path("run").path("facets"), violations);
    facets("job", event.path("job").path("facets"), violations);
    for (String side : List.of("inputs", "outputs")) {
      for (JsonNode dataset : event.path(side)) {
        String where = side + " " + dataset.path("name").asText();
        facets(where, dataset.path("facets"), violations);
        facets(where, dataset.path("outputFacets"), violations);
        facets(where, dataset.path("inputFacets"), violations);
      }
    }
    return violations;
  }

  private static void facets(String where, JsonNode facets, List<String> violations) {
    for (Map.Entry<String, JsonNode> facet : facets.properties()) {
      String url = facet.getValue().path("_schemaURL").asText();
      if (url.startsWith(SPEC + "facets/")) {
        JsonNode keyed = JsonNodeFactory.instance.objectNode().set(facet.getKey(), facet.getValue());
        violations.addAll(validate(where + " facet " + facet.getKey(), schema(url.replaceFirst("#.*$", "")), keyed));
      }
    }
  }

  private static JsonSchema schema(String url) {
    String copy = "openlineage-spec/" + url.substring(SPEC.length());
    if (OpenLineageSchemas.class.getClassLoader().getResource(copy) == null) {
      throw new AssertionError("No copy of " + url + " under jobs/src/test/resources/" + copy
          + ": add it from the OpenLineage spec (see the README there)");
    }
    return FACTORY.getSchema(SchemaLocation.of(url), CONFIG);
  }

  private static List<String> validate(String where, JsonSchema schema, JsonNode node) {
    Set<ValidationMessage> messages = schema.validate(node);
    return messages.stream().map(m -> where + ": " + m.getMessage()).toList();
  }
}
