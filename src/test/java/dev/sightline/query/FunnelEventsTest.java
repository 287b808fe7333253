package dev.sightline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Grouping a funnel's rows by person, in time order, checked against sorting plain records. */
class FunnelEventsTest {

    record Row(UUID person, long ts, int steps, int exclusions, int value) {}

    @Test
    void groupsRowsByPersonInTimeOrderAcrossManyPartitions() {
        // enough rows for several partitions; persons that differ in one bit of either half; rows out of order
        Random random = new Random(7);
        List<UUID> persons = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            UUID u = new UUID(random.nextLong(), random.nextLong());
            persons.add(u);
            if (i % 10 == 0) persons.add(new UUID(u.getMostSignificantBits() ^ 1, u.getLeastSignificantBits()));
            if (i % 10 == 1) persons.add(new UUID(u.getMostSignificantBits(), u.getLeastSignificantBits() ^ (1L << 63)));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) {
            UUID who = persons.get(random.nextInt(persons.size()));
            // mostly rising times, some late arrivals, and ties between steps of one instant
            long ts = i % 17 == 0 ? random.nextInt(1000) * 1000L : 1_000_000L + i / 3 * 1000L;
            int steps = random.nextInt(5) == 0 ? 0 : 1 << random.nextInt(3);
            rows.add(new Row(who, ts, steps, random.nextInt(4), random.nextInt(6) - 1));
        }
        FunnelEvents events = new FunnelEvents();
        for (int code = 0; code < 5; code++) events.value(code, "value " + code);
        for (Row r : rows) events.add(r.person(), r.ts(), r.steps(), r.exclusions(), r.value());
        events.group();

        Map<UUID, List<Row>> expected = new HashMap<>();
        for (Row r : rows) expected.computeIfAbsent(r.person(), k -> new ArrayList<>()).add(r);
        // time, then earlier steps first; rows otherwise equal keep the order read (a stable sort)
        Comparator<Row> order = Comparator.comparingLong(Row::ts)
                .thenComparingInt(r -> r.steps() == 0 ? 99 : Integer.numberOfTrailingZeros(r.steps()));
        expected.values().forEach(list -> list.sort(order));

        assertEquals(expected.size(), events.personCount());
        int seen = 0;
        for (int p = 0; p < events.personCount(); p++) {
            List<Row> want = expected.get(events.person(p));
            FunnelEvents.Of got = events.of(p);
            assertEquals(want.size(), got.size(), "events of " + events.person(p));
            for (int i = 0; i < got.size(); i++) {
                Row w = want.get(i);
                assertEquals(w.ts(), got.ts(i));
                assertEquals(w.steps(), got.steps(i));
                // rows tied on time and step may come in either order; their other columns are checked as a set below
            }
            assertEquals(sorted(want.stream().map(r -> r.ts() + "/" + r.steps() + "/" + r.exclusions() + "/" + r.value()).toList()),
                    sorted(range(got).stream().map(i -> got.ts(i) + "/" + got.steps(i) + "/" + got.exclusions(i) + "/" + got.valueCode(i)).toList()));
            seen += got.size();
        }
        assertEquals(rows.size(), seen);
    }

    @Test
    void personsThatDifferInOneBitAreNeverOne() {
        // small tables: a pair shares a slot often, so telling them apart is tried many times
        Random random = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            UUID a = new UUID(random.nextLong(), random.nextLong());
            int bit = random.nextInt(128);
            UUID b = bit < 64 ? new UUID(a.getMostSignificantBits() ^ (1L << bit), a.getLeastSignificantBits())
                    : new UUID(a.getMostSignificantBits(), a.getLeastSignificantBits() ^ (1L << (bit - 64)));
            FunnelEvents events = new FunnelEvents();
            events.add(a, 1, 1, 0, -1);
            events.add(b, 2, 1, 0, -1);
            events.add(a, 3, 2, 0, -1);
            events.group();
            assertEquals(2, events.personCount(), "persons " + a + " and " + b);
            for (int p = 0; p < 2; p++) assertEquals(events.person(p).equals(a) ? 2 : 1, events.of(p).size());
        }
    }

    @Test
    void moreRowsThanMemoryAllowsAreRefusedByName() {
        FunnelEvents events = new FunnelEvents(3);
        UUID who = UUID.randomUUID();
        for (int i = 0; i < 3; i++) events.add(who, i, 1, 0, -1);
        InvalidQuery refused = assertThrows(InvalidQuery.class, () -> events.add(who, 4, 1, 0, -1));
        assertEquals("dateRange", refused.attr());
        assertThat(refused.getMessage()).contains("more than 3 events");
    }

    @Test
    void breakdownValuesComeByCodeAndSubsetsKeepTheirOrder() {
        UUID who = UUID.randomUUID();
        FunnelEvents events = new FunnelEvents();
        events.add(who, 30, 2, 0, 1);
        events.add(who, 10, 1, 0, 0);
        events.add(who, 20, 1, 0, -1);
        events.add(who, 40, 4, 0, 1);
        events.value(1, "Firefox");
        events.value(0, "Chrome");
        events.group();
        FunnelEvents.Of all = events.of(0);
        assertEquals(List.of("Chrome", "null", "Firefox", "Firefox"), range(all).stream().map(i -> String.valueOf(all.breakdown(i))).toList());
        FunnelEvents.Of firefox = all.only(i -> all.valueCode(i) == 1);
        assertEquals(List.of(30L, 40L), range(firefox).stream().map(firefox::ts).toList());
        assertEquals(List.of(2, 4), range(firefox).stream().map(firefox::steps).toList());
    }

    private static List<Integer> range(FunnelEvents.Of of) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) out.add(i);
        return out;
    }

    private static List<String> sorted(List<String> values) {
        List<String> out = new ArrayList<>(values);
        out.sort(null);
        return out;
    }
}
