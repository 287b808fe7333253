package dev.sightline.enrich;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SessionAssignerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private final SessionAssigner sessions = new SessionAssigner(Duration.ofMinutes(30), Duration.ofHours(24), 10_000);

    private UUID at(String distinctId, int minutes) {
        return sessions.assign(1, distinctId, T0.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void eventsCloserThanTheTimeoutShareASession() {
        UUID first = at("ann", 0);
        assertThat(at("ann", 10)).isEqualTo(first);
        assertThat(at("ann", 39)).isEqualTo(first);
        assertThat(at("ann", 69)).isEqualTo(first);
    }

    @Test
    void inactivityLongerThanTheTimeoutStartsANewSession() {
        UUID first = at("ann", 0);
        UUID second = at("ann", 31);
        assertThat(second).isNotEqualTo(first);
        assertThat(at("ann", 40)).isEqualTo(second);
    }

    @Test
    void visitorsAndProjectsAreKeptApart() {
        UUID ann = at("ann", 0);
        assertThat(at("bob", 0)).isNotEqualTo(ann);
        assertThat(sessions.assign(2, "ann", T0)).isNotEqualTo(ann);
    }

    @Test
    void sessionIdsAreUuidV7FromTheSessionStart() {
        UUID id = at("ann", 0);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
        // the same session found again, e.g. after a restart, gets the same id
        assertThat(new SessionAssigner(Duration.ofMinutes(30), Duration.ofHours(24), 10).assign(1, "ann", T0))
                .isEqualTo(id);
    }

    @Test
    void anOutOfOrderEventJoinsTheSessionAroundIt() {
        UUID session = at("ann", 0);
        at("ann", 20);
        assertThat(at("ann", 5)).isEqualTo(session);
    }

    @Test
    void aSlightlyEarlierEventExtendsTheSessionBackwardsAndKeepsItsId() {
        UUID session = at("ann", 60);
        assertThat(at("ann", 40)).isEqualTo(session);
        // the session now starts at 40, so 15 is within 30 minutes of it
        assertThat(at("ann", 15)).isEqualTo(session);
    }

    @Test
    void aLateEventBeyondTheTimeoutGetsItsOwnSessionWhichLaterLateEventsJoin() {
        UUID current = at("ann", 300);
        UUID late = at("ann", 100);
        assertThat(late).isNotEqualTo(current);
        assertThat(at("ann", 110)).isEqualTo(late);
        assertThat(at("ann", 305)).isEqualTo(current);
    }

    @Test
    void anEventBetweenTwoSessionsJoinsTheMoreRecentOneWithinReach() {
        UUID morning = at("ann", 0);
        UUID noon = at("ann", 50);
        assertThat(noon).isNotEqualTo(morning);
        assertThat(at("ann", 19)).as("only the morning session is within 30 minutes").isEqualTo(morning);
        assertThat(at("ann", 25)).as("both are; the later one wins").isEqualTo(noon);
    }

    @Test
    void aSessionNeverSpansMoreThanTheMaximumLength() {
        SessionAssigner shortSessions = new SessionAssigner(Duration.ofMinutes(30), Duration.ofHours(1), 100);
        UUID first = shortSessions.assign(1, "ann", T0);
        assertThat(shortSessions.assign(1, "ann", T0.plus(Duration.ofMinutes(25)))).isEqualTo(first);
        assertThat(shortSessions.assign(1, "ann", T0.plus(Duration.ofMinutes(50)))).isEqualTo(first);
        UUID next = shortSessions.assign(1, "ann", T0.plus(Duration.ofMinutes(70)));
        assertThat(next).isNotEqualTo(first);
        assertThat(shortSessions.assign(1, "ann", T0.plus(Duration.ofMinutes(80)))).isEqualTo(next);
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentVisitors() {
        SessionAssigner small = new SessionAssigner(Duration.ofMinutes(30), Duration.ofHours(24), 640);
        for (int i = 0; i < 20_000; i++) {
            small.assign(1, "visitor-" + i, T0);
        }
        assertThat(small.rememberedVisitors()).isLessThanOrEqualTo(640);
    }

    @Test
    void eachVisitorKeepsOnlyItsMostRecentSessions() {
        for (int day = 0; day < 10; day++) {
            at("ann", day * 24 * 60);
        }
        // a late event for the first day: that session was forgotten, so a new one opens
        UUID reopened = at("ann", 1);
        assertThat(reopened).isNotEqualTo(SessionIds.of(1, "ann", T0.toEpochMilli()));
        assertThat(at("ann", 2)).isEqualTo(reopened);
    }
}
