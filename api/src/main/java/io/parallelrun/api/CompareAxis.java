package io.parallelrun.api;

/** What of a response is compared. Lowercase because the names appear as-is in manifests and metric labels. */
public enum CompareAxis {
  status, headers, body
}
