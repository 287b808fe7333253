package dev.sightline.transfer;

/** One row of an input file: an event as JSON text, or a row that could not be read, and why. */
sealed interface Row {
    record Event(String json) implements Row {}

    record Bad(String reason) implements Row {}
}
