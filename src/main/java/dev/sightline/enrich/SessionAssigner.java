package dev.sightline.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Server-side sessions for events that come without {@code $session_id} (server SDKs, curl).
 *
 * <p>The rule, by event time (not arrival order): an event joins a remembered session of the
 * same (project, distinct id) when it falls within the inactivity timeout before that session's
 * first event or after its last one, and the session would still span at most
 * {@code maxLength}; the most recent such session wins. Otherwise it starts a new session.
 * An out-of-order event inside a gap shorter than the timeout thus joins the session around it;
 * a late event beyond the timeout gets a session of its own, even when a later session exists.
 * A session keeps the id derived from the first event that opened it, also when a late event
 * later moves its start earlier: ids already written must not change.
 *
 * <p>Memory is bounded twice: each visitor keeps the {@value #SESSIONS_PER_VISITOR} sessions it
 * used last, and about {@code maxVisitors} visitors are remembered (the limit holds per lock
 * stripe), least recently seen forgotten first. An event of a forgotten session opens a new one.
 */
final class SessionAssigner {

    static final int SESSIONS_PER_VISITOR = 4;
    private static final int STRIPES = 64;

    private record VisitorKey(long projectId, String distinctId) {
    }

    /** Mutable on purpose: touched under its stripe's lock only. */
    private static final class Session {
        final UUID id;
        long first;
        long last;

        Session(UUID id, long at) {
            this.id = id;
            this.first = at;
            this.last = at;
        }
    }

    private final long timeout;
    private final long maxLength;
    private final List<Map<VisitorKey, List<Session>>> stripes = new ArrayList<>(STRIPES);

    SessionAssigner(Duration timeout, Duration maxLength, int maxVisitors) {
        this.timeout = timeout.toMillis();
        this.maxLength = maxLength.toMillis();
        int perStripe = Math.max(1, maxVisitors / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            // Access order makes the map an LRU; the pipeline works on many visitors at once, so
            // one lock per stripe rather than one for all.
            stripes.add(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<VisitorKey, List<Session>> eldest) {
                    return size() > perStripe;
                }
            });
        }
    }

    UUID assign(long projectId, String distinctId, Instant timestamp) {
        VisitorKey key = new VisitorKey(projectId, distinctId);
        long at = timestamp.toEpochMilli();
        Map<VisitorKey, List<Session>> stripe = stripes.get(Math.floorMod(key.hashCode(), STRIPES));
        synchronized (stripe) {
            List<Session> sessions = stripe.computeIfAbsent(key, k -> new ArrayList<>(2));
            Session joined = null;
            for (Session s : sessions) {
                boolean near = at >= s.first - timeout && at <= s.last + timeout;
                boolean fits = Math.max(s.last, at) - Math.min(s.first, at) <= maxLength;
                if (near && fits && (joined == null || s.last > joined.last)) {
                    joined = s;
                }
            }
            if (joined != null) {
                joined.first = Math.min(joined.first, at);
                joined.last = Math.max(joined.last, at);
                sessions.remove(joined);
            } else {
                joined = new Session(SessionIds.of(projectId, distinctId, at), at);
            }
            // The list is in order of use, so the session a late event just opened is not the
            // one dropped to make room.
            sessions.addLast(joined);
            if (sessions.size() > SESSIONS_PER_VISITOR) {
                sessions.removeFirst();
            }
            return joined.id;
        }
    }

    /** Visitors currently remembered; for tests and metrics. */
    int rememberedVisitors() {
        int total = 0;
        for (Map<VisitorKey, List<Session>> stripe : stripes) {
            synchronized (stripe) {
                total += stripe.size();
            }
        }
        return total;
    }
}
