package io.parallelrun.proxy.manifest;

import io.parallelrun.api.BackendProtocol;
import io.parallelrun.api.BackendSpec;
import io.parallelrun.proxy.routing.Backend;

/**
 * Turns a backend of the manifest into a URL: {@code url} as written, {@code service} through a template
 * (default {@value #DEFAULT_TEMPLATE}; env PARALLELRUN_SERVICE_URL_TEMPLATE overrides it, e.g. to map
 * Services to 127.0.0.1 ports in a local end-to-end run without cluster DNS).
 */
public final class BackendResolver {
  public static final String DEFAULT_TEMPLATE = "http://{service}.{namespace}.svc:{port}";

  private final String serviceTemplate; // null: services are not allowed (standalone)

  private BackendResolver(String serviceTemplate) {
    this.serviceTemplate = serviceTemplate;
  }

  public static BackendResolver urlsOnly() {
    return new BackendResolver(null);
  }

  public static BackendResolver withServices(String template) {
    return new BackendResolver(template == null || template.isBlank() ? DEFAULT_TEMPLATE : template);
  }

  public Backend resolve(String field, String label, BackendSpec spec, String namespace) {
    if (spec == null) {
      throw new ManifestException(field + ": is required");
    }
    if (spec.getUrl() != null && spec.getService() != null) {
      throw new ManifestException(field + ": exactly one of service or url must be set");
    }
    boolean http2 = spec.getProtocol() == BackendProtocol.HTTP2;
    if (spec.getUrl() != null) {
      try {
        return Backend.of(label, spec.getUrl(), http2);
      } catch (IllegalArgumentException e) {
        throw new ManifestException(field + ".url: " + e.getMessage());
      }
    }
    if (spec.getService() == null) {
      throw new ManifestException(field + ": exactly one of service or url must be set");
    }
    if (serviceTemplate == null) {
      throw new ManifestException(field + ".url: the standalone proxy needs url backends (service is only resolved in a cluster)");
    }
    var svc = spec.getService();
    if (svc.getName() == null || svc.getName().isBlank()) {
      throw new ManifestException(field + ".service.name: is required");
    }
    if (svc.getPort() == null || svc.getPort() < 1 || svc.getPort() > 65535) {
      throw new ManifestException(field + ".service.port: must be 1 to 65535");
    }
    String url = serviceTemplate
        .replace("{service}", svc.getName())
        .replace("{namespace}", namespace)
        .replace("{port}", String.valueOf(svc.getPort()));
    try {
      return Backend.of(label, url, http2);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(field + ".service: template gives " + e.getMessage());
    }
  }
}
