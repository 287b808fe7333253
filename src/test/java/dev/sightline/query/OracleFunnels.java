package dev.sightline.query;

import dev.sightline.query.Dataset.Ev;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Funnels as chains: an ordered funnel reaches step k from a step-1 event if some later events
 * (in time order, each used once) match steps 2..k, the last within the window of the first;
 * strict chains use consecutive events; unordered counts distinct steps inside the window.
 */
final class OracleFunnels {
    private OracleFunnels() {}

    record Exclusion(Predicate<Ev> event, int from, int to) {}

    record PersonResult(int furthest, long[] times, String breakdown) {}

    static Map<String, PersonResult> run(Oracle o, List<Predicate<Ev>> steps, long windowSeconds, String order,
                                         LocalDateTime from, LocalDateTime to, Predicate<Ev> global,
                                         List<Exclusion> exclusions, Function<Ev, String> breakdown) {
        return run(o, steps, windowSeconds, order, from, to, global, exclusions, breakdown, "first_touch", 0);
    }

    /** With a breakdown attribution; all_events answers per (actor, value), keyed "actor\0value". */
    static Map<String, PersonResult> run(Oracle o, List<Predicate<Ev>> steps, long windowSeconds, String order,
                                         LocalDateTime from, LocalDateTime to, Predicate<Ev> global,
                                         List<Exclusion> exclusions, Function<Ev, String> breakdown,
                                         String attribution, int attributionStep) {
        Map<String, List<Ev>> byActor = new HashMap<>();
        for (Ev e : o.events()) {
            if (!OracleTrends.within(o, e, from, to) || !global.test(e)) continue;
            boolean relevant = order.equals("strict") || steps.stream().anyMatch(s -> s.test(e))
                    || exclusions.stream().anyMatch(x -> x.event().test(e));
            if (relevant) byActor.computeIfAbsent(o.actor(e), k -> new ArrayList<>()).add(e);
        }
        Map<String, PersonResult> out = new HashMap<>();
        byActor.forEach((actor, evs) -> {
            evs.sort(Comparator.comparing(Ev::ts).thenComparingInt(e -> firstStep(steps, e)));
            if (attribution.equals("all_events")) {
                Map<String, List<Ev>> byValue = new HashMap<>();
                for (Ev e : evs) byValue.computeIfAbsent(label(breakdown.apply(e)), k -> new ArrayList<>()).add(e);
                byValue.forEach((value, part) -> {
                    PersonResult r = person(steps, part, windowSeconds, order, exclusions);
                    if (r.furthest() >= 0) out.put(actor + "\u0000" + value, new PersonResult(r.furthest(), r.times(), value));
                });
                return;
            }
            PersonResult r = person(steps, evs, windowSeconds, order, exclusions);
            String b = null;
            if (breakdown != null) {
                b = OracleTrends.NULL;
                switch (attribution) {
                    case "last_touch" -> {
                        for (Ev e : evs) if (firstStep(steps, e) != 99) b = label(breakdown.apply(e));
                    }
                    case "step" -> {
                        for (Ev e : evs) {
                            if (steps.get(attributionStep).test(e)) {
                                b = label(breakdown.apply(e));
                                break;
                            }
                        }
                    }
                    default -> {
                        for (Ev e : evs) {
                            if (steps.getFirst().test(e)) {
                                b = label(breakdown.apply(e));
                                break;
                            }
                        }
                    }
                }
            }
            if (r.furthest() >= 0) out.put(actor, new PersonResult(r.furthest(), r.times(), b));
        });
        return out;
    }

    private static String label(String v) {
        return v == null ? OracleTrends.NULL : v;
    }

    private static int firstStep(List<Predicate<Ev>> steps, Ev e) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).test(e)) return i;
        return 99;
    }

    private static long micros(Ev e) {
        return e.ts().getEpochSecond() * 1_000_000L + e.ts().getNano() / 1000;
    }

    private static PersonResult person(List<Predicate<Ev>> steps, List<Ev> evs, long windowSeconds, String order, List<Exclusion> exclusions) {
        int n = steps.size();
        long window = windowSeconds * 1_000_000L;
        int best = -1;
        long[] bestTimes = new long[0];
        for (int i = 0; i < evs.size(); i++) {
            if (!steps.get(0).test(evs.get(i))) continue;
            if (order.equals("unordered")) continue;
            long start = micros(evs.get(i));
            int[] at = new int[n];
            long[] times = new long[n];
            at[0] = i;
            times[0] = start;
            int reached = 0;
            int cur = i;
            for (int k = 1; k < n; k++) {
                int found = -1;
                if (order.equals("strict")) {
                    int j = cur + 1;
                    if (j < evs.size() && steps.get(k).test(evs.get(j)) && micros(evs.get(j)) - start <= window) found = j;
                } else {
                    for (int j = cur + 1; j < evs.size() && micros(evs.get(j)) - start <= window; j++) {
                        if (steps.get(k).test(evs.get(j))) {
                            found = j;
                            break;
                        }
                    }
                }
                if (found < 0) break;
                cur = found;
                at[k] = found;
                times[k] = micros(evs.get(found));
                reached = k;
            }
            if (excluded(evs, exclusions, at, reached)) continue;
            if (reached >= best) {
                best = reached;
                bestTimes = times;
            }
        }
        if (order.equals("unordered")) {
            for (int i = 0; i < evs.size(); i++) {
                Ev anchor = evs.get(i);
                if (firstStep(steps, anchor) == 99) continue;
                List<Long> firsts = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    for (int j = i; j < evs.size() && micros(evs.get(j)) - micros(anchor) <= window; j++) {
                        if (steps.get(k).test(evs.get(j))) {
                            firsts.add(micros(evs.get(j)));
                            break;
                        }
                    }
                }
                if (firsts.size() - 1 >= best) {
                    best = firsts.size() - 1;
                    bestTimes = firsts.stream().mapToLong(Long::longValue).sorted().toArray();
                }
            }
        }
        return new PersonResult(best, bestTimes, null);
    }

    /** An exclusion event after the chain reached its from-step and before it reached its to-step (or it never did). */
    private static boolean excluded(List<Ev> evs, List<Exclusion> exclusions, int[] at, int reached) {
        for (Exclusion x : exclusions) {
            if (reached < x.from()) continue;
            int lo = at[x.from()];
            int hi = reached >= x.to() ? at[x.to()] : Integer.MAX_VALUE;
            for (int m = lo + 1; m < Math.min(hi, evs.size()); m++) if (x.event().test(evs.get(m))) return true;
        }
        return false;
    }
}
