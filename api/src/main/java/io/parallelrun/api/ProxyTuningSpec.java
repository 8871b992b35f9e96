package io.parallelrun.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The proxy's limits and timeouts, for a cluster where the defaults do not fit (large bodies, slow backends,
 * clients on slow links). Each field becomes the proxy flag of the same name; an unset field leaves the proxy's
 * own default, which the descriptions name. {@link SpecDefaults#proxyFlags} checks the bounds again, so a run
 * the API server let through without CEL still gets an error naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxyTuningSpec {
  public static final int MAX_BODY_BYTES_MIN = 1024;
  /** 16 MiB: bodies are buffered whole for comparison, and the default container has 768Mi. */
  public static final int MAX_BODY_BYTES_MAX = 16 * 1024 * 1024;
  public static final int MAX_IN_FLIGHT_MAX = 100_000;
  public static final int POOL_SIZE_MAX = 65_536;

  // Bounds of the durations, here and in the CEL rules (annotations need constants).
  static final String SHADOW_TIMEOUT_MIN = "10ms";
  static final String SHADOW_TIMEOUT_MAX = "5m";
  static final String SHADOW_TIMEOUT_RULE = "duration(self) >= duration('" + SHADOW_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + SHADOW_TIMEOUT_MAX + "')";
  static final String SHADOW_TIMEOUT_BOUNDS = " must be between " + SHADOW_TIMEOUT_MIN + " and " + SHADOW_TIMEOUT_MAX;
  static final String CONNECT_TIMEOUT_MIN = "10ms";
  static final String CONNECT_TIMEOUT_MAX = "1m";
  static final String CONNECT_TIMEOUT_RULE = "duration(self) >= duration('" + CONNECT_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + CONNECT_TIMEOUT_MAX + "')";
  static final String CONNECT_TIMEOUT_BOUNDS = " must be between " + CONNECT_TIMEOUT_MIN + " and " + CONNECT_TIMEOUT_MAX;
  static final String LONG_TIMEOUT_MIN = "1s";
  static final String LONG_TIMEOUT_MAX = "1h";
  static final String LONG_TIMEOUT_RULE = "duration(self) >= duration('" + LONG_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + LONG_TIMEOUT_MAX + "')";
  static final String LONG_TIMEOUT_BOUNDS = " must be between " + LONG_TIMEOUT_MIN + " and " + LONG_TIMEOUT_MAX;
  /** The client deadlines accept 0s: no limit. */
  static final String CLIENT_TIMEOUT_MIN = "0s";
  static final String CLIENT_TIMEOUT_MAX = "1h";
  static final String CLIENT_TIMEOUT_RULE = "duration(self) >= duration('" + CLIENT_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + CLIENT_TIMEOUT_MAX + "')";
  static final String CLIENT_TIMEOUT_BOUNDS = " must be between " + CLIENT_TIMEOUT_MIN + " and " + CLIENT_TIMEOUT_MAX;

  @Min(MAX_BODY_BYTES_MIN)
  @Max(MAX_BODY_BYTES_MAX)
  @JsonPropertyDescription("Bodies are buffered and compared up to this many bytes; a larger body is answered but "
      + "not compared (default 1048576, at most 16777216). Memory: up to maxInFlightComparisons bodies of this "
      + "size can be held at once.")
  private Integer maxBodyBytes;

  @Min(1)
  @Max(MAX_IN_FLIGHT_MAX)
  @JsonPropertyDescription("Shadow calls and comparisons in flight per proxy pod; more are shed and counted as "
      + "dropped, never delaying clients (default 1000).")
  private Integer maxInFlightComparisons;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = SHADOW_TIMEOUT_RULE, message = "shadowTimeout" + SHADOW_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("Time limit of a shadow call, a duration such as 2s (default 2s; 10ms to 5m).")
  private String shadowTimeout;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = CONNECT_TIMEOUT_RULE, message = "connectTimeout" + CONNECT_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("Time limit of a backend connect (default 2s; 10ms to 1m).")
  private String connectTimeout;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = LONG_TIMEOUT_RULE, message = "upstreamTimeout" + LONG_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("An answering call silent this long is aborted: 502, or a reset once the answer has begun (default 60s; 1s to 1h).")
  private String upstreamTimeout;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = LONG_TIMEOUT_RULE, message = "idleTimeout" + LONG_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("A backend connection unused this long is closed (default 60s; 1s to 1h).")
  private String idleTimeout;

  @Min(1)
  @Max(POOL_SIZE_MAX)
  @JsonPropertyDescription("HTTP/1.1 connections per backend, per event loop for answers and per shadow lane for "
      + "shadows (default 1024).")
  private Integer poolSize;

  @Min(1)
  @Max(POOL_SIZE_MAX)
  @JsonPropertyDescription("The same for backends with protocol HTTP2, each connection carrying as many requests "
      + "at once as the server allows (default 16).")
  private Integer http2PoolSize;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = CLIENT_TIMEOUT_RULE, message = "clientHeaderTimeout" + CLIENT_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("A client connection whose first request head is not complete by then is closed; 0s = "
      + "no limit (default 10s).")
  private String clientHeaderTimeout;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = CLIENT_TIMEOUT_RULE, message = "clientBodyTimeout" + CLIENT_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("A request body not complete this long after its head gets 408 and the connection is "
      + "closed; 0s = no limit (default 30s).")
  private String clientBodyTimeout;

  @Pattern(Durations.PATTERN)
  @Size(max = 32)
  @ValidationRule(value = CLIENT_TIMEOUT_RULE, message = "clientIdleTimeout" + CLIENT_TIMEOUT_BOUNDS)
  @JsonPropertyDescription("A client connection with no request in progress for this long is closed; 0s = no "
      + "limit (default 60s).")
  private String clientIdleTimeout;

  public Integer getMaxBodyBytes() { return maxBodyBytes; }
  public void setMaxBodyBytes(Integer maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
  public Integer getMaxInFlightComparisons() { return maxInFlightComparisons; }
  public void setMaxInFlightComparisons(Integer maxInFlightComparisons) { this.maxInFlightComparisons = maxInFlightComparisons; }
  public String getShadowTimeout() { return shadowTimeout; }
  public void setShadowTimeout(String shadowTimeout) { this.shadowTimeout = shadowTimeout; }
  public String getConnectTimeout() { return connectTimeout; }
  public void setConnectTimeout(String connectTimeout) { this.connectTimeout = connectTimeout; }
  public String getUpstreamTimeout() { return upstreamTimeout; }
  public void setUpstreamTimeout(String upstreamTimeout) { this.upstreamTimeout = upstreamTimeout; }
  public String getIdleTimeout() { return idleTimeout; }
  public void setIdleTimeout(String idleTimeout) { this.idleTimeout = idleTimeout; }
  public Integer getPoolSize() { return poolSize; }
  public void setPoolSize(Integer poolSize) { this.poolSize = poolSize; }
  public Integer getHttp2PoolSize() { return http2PoolSize; }
  public void setHttp2PoolSize(Integer http2PoolSize) { this.http2PoolSize = http2PoolSize; }
  public String getClientHeaderTimeout() { return clientHeaderTimeout; }
  public void setClientHeaderTimeout(String clientHeaderTimeout) { this.clientHeaderTimeout = clientHeaderTimeout; }
  public String getClientBodyTimeout() { return clientBodyTimeout; }
  public void setClientBodyTimeout(String clientBodyTimeout) { this.clientBodyTimeout = clientBodyTimeout; }
  public String getClientIdleTimeout() { return clientIdleTimeout; }
  public void setClientIdleTimeout(String clientIdleTimeout) { this.clientIdleTimeout = clientIdleTimeout; }
}
