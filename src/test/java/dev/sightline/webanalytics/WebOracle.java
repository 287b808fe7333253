package dev.sightline.webanalytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The web figures computed in plain Java from the events the test sent, by the rules of
 * docs/web-analytics.md, independently of the rollups and SQL they are compared with.
 */
final class WebOracle {
    /** One session as the rules see it. */
    record Session(String id, Instant start, Instant end, WebTraffic.Sent entry, String exitPathname, int pageviews,
                   int autocaptures, String visitor) {
        long durationSeconds() {
            return Duration.between(start, end).getSeconds();
        }

        Optional<Boolean> bounced() {
            return BounceRule.bounced(pageviews, 0, autocaptures, durationSeconds());
        }

        Object fact(String dimension) {
            return switch (dimension) {
                case "InitialPage" -> entry.event().equals("$pageview") ? entry.props().get("$pathname") : null;
                case "ExitPage" -> exitPathname;
                case "InitialUTMSource" -> entry.props().get("utm_source");
                case "InitialChannelType" -> entry.props().get("$channel_type");
                case "Browser" -> entry.props().get("$browser");
                case "Country" -> entry.props().get("$geoip_country_code");
                case "Viewport" -> entry.props().get("$viewport_width") + "x" + entry.props().get("$viewport_height");
                default -> throw new IllegalArgumentException(dimension);
            };
        }
    }

    final List<WebTraffic.Sent> events;
    final List<Session> sessions = new ArrayList<>();

    WebOracle(List<WebTraffic.Sent> events) {
        this.events = events;
        Map<String, List<WebTraffic.Sent>> bySession = new LinkedHashMap<>();
        for (WebTraffic.Sent e : events) bySession.computeIfAbsent(e.session(), k -> new ArrayList<>()).add(e);
        for (var s : bySession.entrySet()) {
            List<WebTraffic.Sent> es = new ArrayList<>(s.getValue());
            es.sort(Comparator.comparing(WebTraffic.Sent::at));
            WebTraffic.Sent entry = es.stream().filter(e -> e.event().equals("$pageview")).findFirst().orElse(es.getFirst());
            String exit = null;
            for (WebTraffic.Sent e : es) if (e.event().equals("$pageview")) exit = (String) e.props().get("$pathname");
            int pv = (int) es.stream().filter(e -> e.event().equals("$pageview")).count();
            int ac = (int) es.stream().filter(e -> e.event().equals("$autocapture")).count();
            sessions.add(new Session(s.getKey(), es.getFirst().at(), es.getLast().at(), entry, exit, pv, ac, entry.visitor()));
        }
    }

    /** Sessions counted in a period: a page view, and a start within it. */
    List<Session> sessionsIn(Instant from, Instant to, Predicate<Session> filter) {
        return sessions.stream().filter(s -> s.pageviews() > 0 && !s.start().isBefore(from) && !s.start().isAfter(to)).filter(filter).toList();
    }

    record Overview(long visitors, long views, long sessions, Double duration, Double bounceRate) {}

    Overview overview(Instant from, Instant to, Predicate<Session> filter) {
        List<Session> in = sessionsIn(from, to, filter);
        Set<String> ids = new HashSet<>();
        for (Session s : sessions) if (filter.test(s)) ids.add(s.id());
        long views = events.stream().filter(e -> e.event().equals("$pageview") && ids.contains(e.session())
                && !e.at().isBefore(from) && !e.at().isAfter(to)).count();
        Set<String> visitors = new HashSet<>();
        in.forEach(s -> visitors.add(s.visitor()));
        Double duration = in.isEmpty() ? null : in.stream().mapToLong(Session::durationSeconds).average().orElseThrow();
        List<Boolean> b = in.stream().map(Session::bounced).flatMap(Optional::stream).toList();
        Double bounce = b.isEmpty() ? null : 100.0 * b.stream().filter(x -> x).count() / b.size();
        return new Overview(visitors.size(), views, in.size(), duration, bounce);
    }

    record Row(Object value, long visitors, long views, Double bounce) {}

    /** A session dimension's table, sorted as the API sorts it: visitors, views descending, then the value. */
    List<Row> table(String dimension, Instant from, Instant to) {
        Map<Object, List<Session>> groups = new HashMap<>();
        for (Session s : sessionsIn(from, to, x -> true)) groups.computeIfAbsent(s.fact(dimension), k -> new ArrayList<>()).add(s);
        List<Row> rows = new ArrayList<>();
        for (var g : groups.entrySet()) {
            Set<String> visitors = new HashSet<>();
            g.getValue().forEach(s -> visitors.add(s.visitor()));
            long views = g.getValue().stream().mapToLong(Session::pageviews).sum();
            List<Boolean> b = g.getValue().stream().map(Session::bounced).flatMap(Optional::stream).toList();
            Double bounce = dimension.equals("ExitPage") || b.isEmpty() ? null : (double) b.stream().filter(x -> x).count() / b.size();
            rows.add(new Row(g.getKey(), visitors.size(), views, bounce));
        }
        return sorted(rows);
    }

    /** The pages table: every page view in the period by its pathname. */
    List<Row> pages(Instant from, Instant to) {
        Map<Object, List<WebTraffic.Sent>> groups = new HashMap<>();
        for (WebTraffic.Sent e : events) {
            if (e.event().equals("$pageview") && !e.at().isBefore(from) && !e.at().isAfter(to)) {
                groups.computeIfAbsent(e.props().get("$pathname"), k -> new ArrayList<>()).add(e);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (var g : groups.entrySet()) {
            Set<String> visitors = new HashSet<>();
            g.getValue().forEach(e -> visitors.add(e.visitor()));
            rows.add(new Row(g.getKey(), visitors.size(), g.getValue().size(), null));
        }
        return sorted(rows);
    }

    private static List<Row> sorted(List<Row> rows) {
        Function<Row, String> value = r -> r.value() == null ? "\uffff" : String.valueOf(r.value());
        return rows.stream().sorted(Comparator.comparingLong(Row::visitors).reversed().thenComparing(Comparator.comparingLong(Row::views).reversed())
                .thenComparing(value)).toList();
    }

    /** A page goal: the visitors of sessions that viewed the page, and those views. */
    long[] pageGoal(String pathname, Instant from, Instant to) {
        List<Session> in = sessionsIn(from, to, x -> true);
        Map<String, String> visitorOf = new HashMap<>();
        in.forEach(s -> visitorOf.put(s.id(), s.visitor()));
        Set<String> converting = new HashSet<>();
        long total = 0;
        for (WebTraffic.Sent e : events) {
            if (e.event().equals("$pageview") && pathname.equals(e.props().get("$pathname")) && visitorOf.containsKey(e.session())) {
                total++;
                converting.add(visitorOf.get(e.session()));
            }
        }
        return new long[]{converting.size(), total};
    }

    /** Sessions with the goal event, and the goal events of sessions started in the period. */
    long[] goal(String event, Instant from, Instant to) {
        List<Session> in = sessionsIn(from, to, x -> true);
        Set<String> ids = new HashSet<>();
        in.forEach(s -> ids.add(s.id()));
        Map<String, String> visitorOf = new HashMap<>();
        in.forEach(s -> visitorOf.put(s.id(), s.visitor()));
        Set<String> converting = new HashSet<>();
        long total = 0;
        for (WebTraffic.Sent e : events) {
            if (e.event().equals(event) && ids.contains(e.session())) {
                total++;
                converting.add(visitorOf.get(e.session()));
            }
        }
        return new long[]{converting.size(), total};
    }
}
