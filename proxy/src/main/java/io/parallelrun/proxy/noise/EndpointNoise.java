package io.parallelrun.proxy.noise;

import io.parallelrun.proxy.metrics.MismatchFieldCounts;

/**
 * One endpoint's noise learning in this proxy, created with its meters and kept as long as they are (across
 * routing-table rebuilds): the probe budget, what the probes taught, and the two counters they feed.
 *
 * @param fields parallelrun_noise_fields_total, bounded like parallelrun_mismatch_fields_total
 * @param probeSent counts one probe in parallelrun_noise_probes_total
 */
public record EndpointNoise(ProbeBudget budget, LearnedNoise learned, MismatchFieldCounts fields, Runnable probeSent) {}
