package dev.sightline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Runs the product's traffic hour by hour and hands out its events in time order. Each hour gets
 * its share of what is left of the event budget (70% anonymous, 30% identified, plus about four
 * hours' worth so that the stream reaches the requested count shortly before the end), turned into numbers of
 * marketing visits and app sessions by the running average of events per session. Sessions are
 * written out whole when they start and merged by timestamp, so memory holds only the sessions
 * in flight, never the whole stream.
 */
final class Simulation {
    private static final long SESSIONS = 4, SCHEDULE = 5, INITIAL = 6;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    static final double ANONYMOUS_SHARE = 0.7;

    private final DemoTraffic.Settings settings;
    private final TrafficCurve curve;
    private final Population population;
    private final Journeys journeys;
    private final Rng schedule;
    private final long endMillis;
    private final PriorityQueue<Cursor> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Cursor::time).thenComparingLong(c -> c.order));
    private long sessionsStarted;

    private final double anonymousTarget;
    private final double identifiedTarget;
    private double anonymousSpawned;
    private double identifiedSpawned;
    // events per session, as seen so far, starting from a guess worth 20 sessions
    private final Mean visitAnonymous = new Mean(6, 20), visitIdentified = new Mean(0.6, 20);
    private final Mean appAnonymous = new Mean(0.3, 20), appIdentified = new Mean(20, 20);

    Simulation(DemoTraffic.Settings settings) {
        this.settings = settings;
        this.endMillis = settings.end().toEpochMilli();
        this.curve = new TrafficCurve(settings.end().minus(Duration.ofDays(settings.days())), settings.days() * 24);
        this.population = new Population(settings.seed(), 20_000);
        this.journeys = new Journeys(population, settings.token());
        this.schedule = Rng.of(settings.seed(), SCHEDULE, 0);
        // a little more than asked (four hours' worth, or a few dozen sessions for small counts)
        // so that sessions cut off at the end cannot leave the stream short
        double budget = settings.events() + Math.max(settings.events() * 4.0 / (settings.days() * 24), 150);
        this.anonymousTarget = budget * ANONYMOUS_SHARE;
        this.identifiedTarget = budget * (1 - ANONYMOUS_SHARE);
    }

    long run(Consumer<ObjectNode> out) {
        seedCustomers();
        long emitted = 0;
        for (int h = 0; h < curve.hours(); h++) {
            long hourStart = curve.hourStart(h);
            if (h % 24 == 0) startDay(hourStart);
            spawnHour(h, hourStart);
            long limit = h == curve.hours() - 1 ? endMillis + 1 : curve.hourStart(h + 1);
            while (!inFlight.isEmpty() && inFlight.peek().time() < limit) {
                Cursor c = inFlight.poll();
                out.accept(c.events.get(c.next).event());
                if (++emitted == settings.events()) return emitted;
                if (++c.next < c.events.size()) inFlight.add(c);
            }
        }
        return emitted;
    }

    /** Customers who signed up before the simulated weeks, in teams, on the plans they pay for. */
    private void seedCustomers() {
        Rng rng = Rng.of(settings.seed(), INITIAL, 0);
        long start = curve.hourStart(0);
        double sessionsPerUserDay = 0.45;
        long wanted = Math.max(5, Math.round(identifiedTarget / appIdentified.value() / (settings.days() * sessionsPerUserDay)));
        Weighted<Geography.Zone> zones = new Weighted<>(Geography.ZONES, Geography.Zone::share);
        long users = 0;
        while (users < wanted) {
            Names.Company company = population.newCompany();
            String plan = Plans.initial(rng);
            int team = 1 + rng.geometric(0.45, 15);
            Geography.Zone zone = zones.pick(rng);
            for (int k = 0; k < team && users < wanted; k++, users++) {
                long churnAt = rng.chance(0.15) ? start + (long) (rng.unit() * settings.days() * DAY) : Long.MAX_VALUE;
                User u = population.newUser(company, rng.chance(0.8) ? zone : zones.pick(rng), plan, churnAt);
                long signedUp = start - (long) (rng.between(1, 365) * DAY * (0.5 + rng.unit()));
                u.devices.add(population.newDevice(signedUp, u.zone));
                while (u.devices.size() < u.devicesWanted && rng.chance(0.5)) {
                    u.devices.add(population.newDevice(signedUp + rng.between(1, 30) * DAY, u.zone));
                }
            }
        }
    }

    /** Renewals and cancellations fall on their own day, whether or not the user comes by. */
    private void startDay(long dayStart) {
        population.startDay(dayStart);
        int dayOfMonth = java.time.Instant.ofEpochMilli(dayStart).atOffset(java.time.ZoneOffset.UTC).getDayOfMonth();
        for (User u : population.activeToday()) {
            if (!u.paying()) continue;
            if (u.churnAtMillis < dayStart + DAY) {
                spawn(journeys.cancellation(u.churnAtMillis, u, sessionRng()), null, null);
            } else if (dayOfMonth == 1 + u.id % 28) {
                spawn(journeys.invoice(dayStart + 8 * HOUR + schedule.below((int) (10 * HOUR)), u, sessionRng()), null, null);
            }
        }
    }

    private void spawnHour(int h, long hourStart) {
        double anonymous = Math.max(0, anonymousTarget - anonymousSpawned) * curve.shareOfRemaining(TrafficCurve.Kind.MARKETING, h);
        double identified = Math.max(0, identifiedTarget - identifiedSpawned) * curve.shareOfRemaining(TrafficCurve.Kind.PRODUCT, h);
        // visits and app sessions each bring both kinds of events: solve for the pair that meets both budgets
        double va = visitAnonymous.value(), vi = visitIdentified.value(), aa = appAnonymous.value(), ai = appIdentified.value();
        double det = va * ai - aa * vi;
        double visits = Math.max(0, (anonymous * ai - aa * identified) / det);
        double appSessions = Math.max(0, (va * identified - vi * anonymous) / det);

        List<long[]> starts = new ArrayList<>();
        int v = schedule.poisson(visits);
        int a = schedule.poisson(appSessions);
        for (int i = 0; i < v + a; i++) starts.add(new long[] {hourStart + schedule.below((int) HOUR), i < v ? 0 : 1});
        starts.sort(Comparator.comparingLong(s -> s[0]));
        Weighted<Geography.Zone> zones = curve.zones(TrafficCurve.Kind.MARKETING, h);
        for (long[] s : starts) {
            Rng rng = sessionRng();
            if (s[1] == 0) {
                spawn(journeys.visit(s[0], zones, rng), visitAnonymous, visitIdentified);
            } else {
                var user = population.pickUser(rng, s[0]);
                if (user.isPresent()) spawn(journeys.appSession(s[0], user.get(), rng), appAnonymous, appIdentified);
            }
        }
    }

    private Rng sessionRng() {
        return Rng.of(settings.seed(), SESSIONS, sessionsStarted++);
    }

    private void spawn(List<Timed> events, Mean anonymousMean, Mean identifiedMean) {
        int anonymous = 0;
        for (Timed t : events) {
            JsonNode personful = t.event().path("properties").path("$process_person_profile");
            if (personful.isBoolean() && !personful.booleanValue()) anonymous++;
        }
        anonymousSpawned += anonymous;
        identifiedSpawned += events.size() - anonymous;
        if (anonymousMean != null) {
            anonymousMean.add(anonymous);
            identifiedMean.add(events.size() - anonymous);
        }
        if (!events.isEmpty()) inFlight.add(new Cursor(events, sessionsStarted));
    }

    private static final class Cursor {
        final List<Timed> events;
        final long order;
        int next;

        Cursor(List<Timed> events, long order) {
            this.events = events;
            this.order = order;
        }

        long time() {
            return events.get(next).millis();
        }
    }

    private static final class Mean {
        private double sum;
        private double count;

        Mean(double prior, double weight) {
            this.sum = prior * weight;
            this.count = weight;
        }

        void add(double x) {
            sum += x;
            count++;
        }

        double value() {
            return sum / count;
        }
    }
}
