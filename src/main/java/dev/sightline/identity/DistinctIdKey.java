package dev.sightline.identity;

/** A distinct id is only unique inside its project. */
record DistinctIdKey(long projectId, String distinctId) {
}
