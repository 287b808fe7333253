package dev.sightline.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everyone the simulation knows: the companies, the signed-up users, and a ring of recent
 * anonymous visitors whose cookie is still there when they come back. Users live in memory
 * (there are few of them next to events); visitors are forgotten as the ring turns over, so the
 * memory does not grow with the number of events.
 */
final class Population {
    static final long INACTIVITY_MILLIS = 30 * 60_000L;
    private static final long VISITORS = 1, USERS = 2, COMPANIES = 3;

    private final long seed;
    private final List<User> users = new ArrayList<>();
    private final List<Names.Company> companies = new ArrayList<>();
    private final Device[] recent;
    private final long[] recentLastEnd;
    private int recentCount;
    private int recentNext;
    private long nextVisitor;
    private long nextUser;
    private long nextCompany;
    private List<User> activeToday = List.of();
    private Optional<Weighted<User>> byEngagement = Optional.empty();

    Population(long seed, int recentVisitors) {
        this.seed = seed;
        this.recent = new Device[recentVisitors];
        this.recentLastEnd = new long[recentVisitors];
    }

    record Signup(User user, boolean newCompany) {}

    Device newDevice(long at, Geography.Zone zone) {
        return Device.first(at, zone, Rng.of(seed, VISITORS, nextVisitor++));
    }

    /** A recent visitor coming back, unless the one drawn is still in a session (or none is known yet). */
    OptionalInt returning(Rng rng, long at) {
        if (recentCount == 0) return OptionalInt.empty();
        int slot = rng.below(recentCount);
        if (recent[slot] == null || recentLastEnd[slot] + INACTIVITY_MILLIS > at) return OptionalInt.empty();
        return OptionalInt.of(slot);
    }

    Device recent(int slot) {
        return recent[slot];
    }

    void remember(Device device, long lastEnd, OptionalInt slot) {
        if (slot.isPresent()) {
            recentLastEnd[slot.getAsInt()] = lastEnd;
            return;
        }
        recent[recentNext] = device;
        recentLastEnd[recentNext] = lastEnd;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.max(recentCount, recentNext == 0 ? recent.length : recentNext);
    }

    /** A visitor who signed up is a user now: their cookie holds the user's identity. */
    void forget(OptionalInt slot) {
        slot.ifPresent(s -> recent[s] = null);
    }

    Names.Company newCompany() {
        long id = nextCompany++;
        Names.Company c = Names.company(id, Rng.of(seed, COMPANIES, id));
        companies.add(c);
        return c;
    }

    User newUser(Names.Company company, Geography.Zone zone, String plan, long churnAtMillis) {
        long id = nextUser++;
        User u = new User(id, company, zone, plan, churnAtMillis, Rng.of(seed, USERS, id));
        users.add(u);
        return u;
    }

    /** One in four sign-ups was invited by a teammate and joins that company. */
    Signup signUp(Device device, long at, Rng rng) {
        boolean joins = !companies.isEmpty() && rng.chance(0.25);
        Names.Company company = joins ? companies.get(rng.below(companies.size())) : newCompany();
        long churnAt = rng.chance(0.3) ? at + (long) (rng.exponential(20) * 86_400_000L) : Long.MAX_VALUE;
        User u = newUser(company, device.zone(), "free", churnAt);
        u.devices.add(device);
        return new Signup(u, !joins);
    }

    /** Users who have not churned by the start of the day; the engaged ones come back more often. */
    void startDay(long dayStart) {
        activeToday = users.stream().filter(u -> u.activeAt(dayStart)).toList();
        byEngagement = activeToday.isEmpty() ? Optional.empty() : Optional.of(new Weighted<>(activeToday, u -> u.engagement));
    }

    List<User> activeToday() {
        return activeToday;
    }

    /** A user who starts a session now: active, and not already in one. */
    Optional<User> pickUser(Rng rng, long at) {
        if (byEngagement.isEmpty()) return Optional.empty();
        for (int attempt = 0; attempt < 4; attempt++) {
            User u = byEngagement.get().pick(rng);
            if (u.activeAt(at) && u.busyUntilMillis + INACTIVITY_MILLIS <= at) return Optional.of(u);
        }
        return Optional.empty();
    }
}
