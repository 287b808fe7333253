package dev.sightline.enrich;

import java.time.Duration;

/** One yauaa instance for every test class: it takes seconds to build. */
final class SharedParser {

    // Tests wait for the parser rather than skip user-agent fields; the bound only stops a hang.
    static final UserAgentParser INSTANCE = UserAgentParser.startInBackground(1_000, Duration.ofMinutes(2));

    private SharedParser() {
    }
}
