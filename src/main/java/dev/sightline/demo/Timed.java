package dev.sightline.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One generated event and when it happens, for merging sessions into one time-ordered stream. */
record Timed(long millis, ObjectNode event) {}
