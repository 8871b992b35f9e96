package io.parallelrun.proxy.compare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.List;

/** Shared Jackson and json-path configuration (numbers kept exact, paths that do not exist are ignored). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Deepest nesting of a compared body parsed as JSON. Every later step walks the tree recursively (paths,
   * diffs, the /mismatches answer, which nests a sample a few levels deeper and which Jackson refuses to write
   * past 1000), so a body nested deeper is not parsed at all: it is compared by its bytes like any non-JSON body.
   * Real API answers rarely nest beyond 20.
   */
  public static final int MAX_BODY_NESTING_DEPTH = 128;

  /** Parses upstream bodies, within {@link #MAX_BODY_NESTING_DEPTH}. */
  public static final ObjectReader BODIES = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_BODY_NESTING_DEPTH).build())
      .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .reader();

  public static final Configuration PATHS = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER))
      .mappingProvider(new JacksonMappingProvider(MAPPER))
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();

  private Json() {}

  /** Compiles Jayway paths, failing with the offending path in the message. */
  public static List<JsonPath> compile(List<String> paths) {
    return paths.stream().map(p -> {
      try {
        return JsonPath.compile(p);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + p + "' is not a JSON path: " + e.getMessage(), e);
      }
    }).toList();
  }
}
