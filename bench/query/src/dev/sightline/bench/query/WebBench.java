package dev.sightline.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.query.QueryService;
import dev.sightline.store.duckdb.Database;
import dev.sightline.store.duckdb.DuckDbDialect;
import dev.sightline.store.duckdb.DuckDbQueries;
import dev.sightline.webanalytics.WebAnalytics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench/run web}: the web analytics page's default dashboard (every tile the page asks for
 * when it opens: overview with the previous period, trend, live visitors, the four tables' first
 * tabs (the countries table shows the top rows of the map's answer), the country map and the goals) on a generated web dataset of N events (about five per
 * session, visitors personless, 90 days), through QueryService with the result cache bypassed.
 * Measured: the whole dashboard with its tiles asked at once (as the browser does), cold (the
 * first run after the database is opened) and warm (the median of the rest); and each tile alone
 * beside hand-written DuckDB SQL that answers it from the raw events in the same run.
 */
public final class WebBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-31T23:00:00Z");
    private static final String RANGE = "\"dateRange\": {\"date_from\": \"-30d\"}";
    /** The range and the previous one as the engine resolves -30d at NOW in UTC. */
    private static final String FROM = "TIMESTAMP '2025-03-01 00:00:00'";
    private static final String TO = "TIMESTAMP '2025-03-31 23:59:59.999999'";
    private static final String PREV_FROM = "TIMESTAMP '2025-01-29 00:00:00'";
    private static final String PREV_TO = "TIMESTAMP '2025-02-28 23:59:59.999999'";

    record Tile(String name, String query, String handSql, ToDoubleFunction<JsonNode> engineTotal) {}

    /** Part of the datasets' directory names: a change to the rollups' tables makes new ones rather than reading stale ones. */
    private static final String DATASET = "v2";

    /**
     * The engine estimates visitors above 200,000 page views in a query's periods (webanalytics/WebSql):
     * the hand-written SQL then estimates them the same way, so that answers can be compared.
     */
    private static String distinct = "count(DISTINCT ";

    public static void main(String[] args) throws Exception {
        long events = 10_000_000;
        int repeat = 5;
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("M", "000000").replace("k", "000"));
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--smoke" -> { events = 50_000; repeat = 2; smoke = true; }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: bench/run web [--events N] [--repeat R] [--smoke]");
            }
        }
        if (!smoke) {
            // compiled code first, as a running server has it: every tile 20 times over a small dataset, untimed
            Path warm = Path.of("bench/results/tmp/web-data-" + DATASET + "-100000");
            prepare(warm, 100_000);
            try (Database db = Database.open(warm)) {
                QueryService service = service(db);
                for (int r = 0; r < 20; r++) for (Tile t : tiles()) run(service, t);
            }
        }
        Path dir = Path.of("bench/results/tmp/web-data-" + DATASET + "-" + events);
        double genSeconds = prepare(dir, events);
        try (Database db = Database.open(dir)) {
            boolean estimated = count(db, "SELECT count(*) FROM web_page_views WHERE timestamp >= " + PREV_FROM + " AND timestamp <= " + TO) > 200_000;
            distinct = estimated ? "approx_count_distinct(" : "count(DISTINCT ";
        }
        String load0 = load();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "web");
        json.put("timestamp", Instant.now().toString());
        json.put("smoke", smoke);
        json.put("events", events);
        json.put("repeat", repeat);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("load_average_at_start", load0);

        // the whole dashboard, every tile asked at once, cold then warm
        List<Long> dashboard = new ArrayList<>();
        long rows;
        try (Database db = Database.open(dir); ExecutorService pool = Executors.newFixedThreadPool(6)) {
            rows = count(db, "SELECT count(*) FROM events");
            QueryService service = service(db);
            for (int r = 0; r < repeat; r++) {
                long s = System.nanoTime();
                List<Future<?>> all = new ArrayList<>();
                for (Tile t : tiles()) all.add(pool.submit(() -> run(service, t)));
                for (Future<?> f : all) f.get();
                dashboard.add((System.nanoTime() - s) / 1_000_000);
            }
            json.put("sessions", count(db, "SELECT count(*) FROM web_sessions"));
            json.put("page_views", count(db, "SELECT count(*) FROM web_page_views"));
        }
        json.put("stored_events", rows);
        json.put("dashboard_cold_ms", dashboard.getFirst());
        json.put("dashboard_warm_ms", warm(dashboard));

        StringBuilder out = new StringBuilder("# Web analytics dashboard benchmark\n\n");
        out.append("- dataset: ").append(rows).append(" events (about five a session, visitors personless), 90 days, project timezone UTC")
                .append(genSeconds > 0 ? String.format(" (generated, rollups filled, in %.1f s)", genSeconds) : " (reused)").append('\n')
                .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible to the JVM, shared; load average at the start: ")
                .append(load0).append('\n')
                .append("- the dashboard: every tile the page asks for on opening (").append(tiles().size())
                .append("), asked at once on 6 threads as the browser does, through QueryService without the result cache; cold = the first run after opening the database, warm = median of the other ")
                .append(repeat - 1).append("\n\n")
                .append(String.format("**whole dashboard: cold %d ms, warm %d ms**%n%n", dashboard.getFirst(), warm(dashboard)))
                .append("Each tile alone (cold = first run after opening the database, warm = median of the rest), beside hand-written DuckDB SQL that answers it from the raw events:\n\n")
                .append("| tile | engine cold ms | engine warm ms | raw-event SQL cold ms | raw-event SQL warm ms | same answer |\n|---|---:|---:|---:|---:|---|\n");
        List<Map<String, Object>> list = new ArrayList<>();
        json.put("tiles", list);
        for (Tile t : tiles()) {
            List<Long> engine = new ArrayList<>();
            JsonNode answer = null;
            try (Database db = Database.open(dir)) {
                QueryService service = service(db);
                for (int r = 0; r < repeat; r++) {
                    long s = System.nanoTime();
                    answer = run(service, t);
                    engine.add((System.nanoTime() - s) / 1_000_000);
                }
            }
            List<Long> hand = new ArrayList<>();
            double handTotal = 0;
            try (Database db = Database.open(dir)) {
                for (int r = 0; r < repeat; r++) {
                    long s = System.nanoTime();
                    double total = 0;
                    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(t.handSql())) {
                        int last = rs.getMetaData().getColumnCount();
                        while (rs.next()) total += rs.getObject(last) instanceof Number n ? n.doubleValue() : 0;
                    }
                    hand.add((System.nanoTime() - s) / 1_000_000);
                    handTotal = total;
                }
            }
            double engineTotal = t.engineTotal().applyAsDouble(answer);
            String same = Math.abs(engineTotal - handTotal) <= 1e-6 * Math.max(1, Math.abs(handTotal)) ? "yes"
                    : String.format("NO (%.2f vs %.2f)", engineTotal, handTotal);
            String line = String.format("| %s | %d | %d | %d | %d | %s |%n", t.name(), engine.getFirst(), warm(engine), hand.getFirst(), warm(hand), same);
            System.out.print(line);
            out.append(line);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tile", t.name());
            m.put("engine_cold_ms", engine.getFirst());
            m.put("engine_warm_ms", warm(engine));
            m.put("raw_sql_cold_ms", hand.getFirst());
            m.put("raw_sql_warm_ms", warm(hand));
            m.put("same_answer", same);
            list.add(m);
        }
        out.append("\nload average at the end: ").append(load()).append('\n');
        json.put("load_average_at_end", load());
        System.out.printf("dashboard: cold %d ms, warm %d ms%n", dashboard.getFirst(), warm(dashboard));
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path md = Path.of(smoke ? "bench/results/tmp/web-smoke.md" : "bench/results/web.md");
        Path file = Path.of(smoke ? "bench/results/tmp/web-smoke.json" : "bench/results/web-" + stamp + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(md, out.toString());
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        Files.writeString(file, text);
        if (!smoke) Files.writeString(Path.of("bench/results/web-latest.json"), text);
        System.out.println("wrote " + md + " and " + file);
        for (Map<String, Object> m : list) {
            if (!"yes".equals(m.get("same_answer"))) throw new IllegalStateException("a tile differs from its raw-event SQL: " + m);
        }
    }

    private static QueryService service(Database db) {
        DuckDbQueries store = new DuckDbQueries(db);
        return new QueryService(new DuckDbDialect(), store, store, store, Clock.fixed(NOW, ZoneOffset.UTC),
                dev.sightline.query.CohortRelation.Source.NONE, List.of(new WebAnalytics()));
    }

    private static JsonNode run(QueryService service, Tile t) {
        try {
            return JSON.valueToTree(service.run(1, "UTC", JSON.readTree("{\"refresh\": true, \"query\": " + t.query() + "}")).get("results"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long warm(List<Long> runs) {
        List<Long> rest = new ArrayList<>(runs.size() > 1 ? runs.subList(1, runs.size()) : runs);
        rest.sort(null);
        return rest.get(rest.size() / 2);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sessions from the raw events, as the hand-written SQL computes them: entry facts of the first page view. */
    private static final String RAW_SESSIONS = """
            s AS (SELECT session_id, min(timestamp) AS st, max(timestamp) AS en,
                         count(*) FILTER (WHERE event = '$pageview') AS pv,
                         count(*) FILTER (WHERE event IN ('$pageview', '$autocapture')) AS c,
                         arg_min(person_id, CASE WHEN event = '$pageview' THEN 0 ELSE 1 END * 1e18 + epoch_us(timestamp)) AS p,
                         arg_min(json_extract_string(properties, '/$channel_type'), CASE WHEN event = '$pageview' THEN 0 ELSE 1 END * 1e18 + epoch_us(timestamp)) AS channel,
                         arg_min(ep_device_type, CASE WHEN event = '$pageview' THEN 0 ELSE 1 END * 1e18 + epoch_us(timestamp)) AS device,
                         arg_min(ep_geoip_country_code, CASE WHEN event = '$pageview' THEN 0 ELSE 1 END * 1e18 + epoch_us(timestamp)) AS country
                  FROM events WHERE project_id = 1 AND session_id IS NOT NULL
                    AND timestamp >= %s - INTERVAL 1 DAY AND timestamp <= %s + INTERVAL 1 DAY GROUP BY 1),
            f AS (SELECT * FROM s WHERE pv > 0 AND st >= %s AND st <= %s)
            """.formatted(PREV_FROM, TO, PREV_FROM, TO);

    private static final String CUR = "st >= " + FROM + " AND st <= " + TO;
    private static final String PREV = "st >= " + PREV_FROM + " AND st <= " + PREV_TO;
    private static final String BOUNCE = "CASE WHEN c = 0 THEN NULL ELSE CAST(NOT (c > 1 OR date_diff('second', st, en) >= 10) AS DOUBLE) END";

    /** A session dimension's table from the raw events: visitors, views and bounce of the top ten, both periods. */
    private static String rawTable(String column, int limit) {
        return "WITH " + RAW_SESSIONS + "SELECT " + column + " AS v, " + distinct + "p) FILTER (WHERE " + CUR + ") AS vis, " + distinct + "p) FILTER (WHERE "
                + PREV + "), avg(" + BOUNCE + ") FILTER (WHERE " + CUR + "), avg(" + BOUNCE + ") FILTER (WHERE " + PREV + "), sum(pv) FILTER (WHERE " + CUR
                + ") AS views FROM f GROUP BY 1 HAVING count(*) FILTER (WHERE " + CUR + ") > 0 ORDER BY vis DESC, views DESC, v ASC NULLS LAST LIMIT " + limit;
    }

    private static double sumViews(JsonNode results) {
        double t = 0;
        for (JsonNode r : results) t += r.get(2).get(0).asDouble();
        return t;
    }

    static List<Tile> tiles() {
        String compare = ", \"compareFilter\": {\"compare\": true}";
        List<Tile> t = new ArrayList<>();
        t.add(new Tile("overview (5 figures, previous period)", "{\"kind\": \"WebOverviewQuery\", " + RANGE + compare + "}",
                "WITH " + RAW_SESSIONS + "SELECT " + distinct + "p) FILTER (WHERE " + CUR + "), " + distinct + "p) FILTER (WHERE " + PREV
                        + "), avg(date_diff('second', st, en)) FILTER (WHERE " + CUR + "), avg(" + BOUNCE + ") FILTER (WHERE " + CUR + "), avg(" + BOUNCE
                        + ") FILTER (WHERE " + PREV + "), (SELECT count(*) FROM events WHERE project_id = 1 AND event = '$pageview' AND timestamp >= " + PREV_FROM
                        + " AND timestamp <= " + TO + "), count(*) FILTER (WHERE " + CUR + ") FROM f",
                r -> r.get(2).get("value").asDouble()));
        t.add(new Tile("trend (visitors, views a day)", "{\"kind\": \"WebTrendsQuery\", " + RANGE + ", \"interval\": \"day\", \"metrics\": [\"UniqueUsers\", \"PageViews\"]}",
                "SELECT date_trunc('day', timestamp), count(*) FROM events WHERE project_id = 1 AND event = '$pageview' AND timestamp >= " + FROM
                        + " AND timestamp <= " + TO + " GROUP BY 1",
                r -> {
                    double v = 0;
                    for (JsonNode b : r) v += b.at("/metrics/PageViews").asDouble();
                    return v;
                }));
        t.add(new Tile("live visitors (30 min)", "{\"kind\": \"WebLiveVisitorsQuery\"}",
                "SELECT count(DISTINCT person_id), count(*) FROM events WHERE project_id = 1 AND event = '$pageview' AND timestamp >= TIMESTAMP '2025-03-31 22:30:00'",
                r -> r.get("views").asDouble()));
        t.add(new Tile("pages (top 10)", "{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Page\", \"limit\": 10, " + RANGE + compare + "}",
                "SELECT json_extract_string(properties, '/$pathname') AS v, " + distinct + "person_id) FILTER (WHERE timestamp >= " + FROM + ") AS vis,"
                        + " " + distinct + "person_id) FILTER (WHERE timestamp < " + FROM + "), count(*) FILTER (WHERE timestamp < " + FROM + "),"
                        + " count(*) FILTER (WHERE timestamp >= " + FROM + ") AS views FROM events WHERE project_id = 1 AND event = '$pageview' AND timestamp >= "
                        + PREV_FROM + " AND timestamp <= " + TO + " GROUP BY 1 HAVING views > 0 ORDER BY vis DESC, views DESC, v ASC NULLS LAST LIMIT 10",
                WebBench::sumViews));
        t.add(new Tile("channels (top 10)", "{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"InitialChannelType\", \"limit\": 10, " + RANGE + compare + "}",
                rawTable("channel", 10), WebBench::sumViews));
        t.add(new Tile("device types (top 10)", "{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"DeviceType\", \"limit\": 10, " + RANGE + compare + "}",
                rawTable("device", 10), WebBench::sumViews));
        // the countries table shows the top rows of the map's answer: the page asks once for both
        t.add(new Tile("world map and countries table (every country)", "{\"kind\": \"WebStatsTableQuery\", \"breakdownBy\": \"Country\", \"limit\": 250, " + RANGE + compare + "}",
                rawTable("country", 250), WebBench::sumViews));
        t.add(new Tile("goals (top custom events)", "{\"kind\": \"WebGoalsQuery\", " + RANGE + compare + "}",
                "WITH " + RAW_SESSIONS + ", g AS (SELECT event FROM events WHERE project_id = 1 AND timestamp >= " + FROM + " AND timestamp <= " + TO
                        + " AND NOT starts_with(event, '$') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5)"
                        + " SELECT g.event, (SELECT count(*) FROM events e JOIN f ON f.session_id = e.session_id WHERE e.project_id = 1 AND e.event = g.event AND f." + CUR
                        + " AND e.timestamp <= " + TO + " + INTERVAL 1 DAY) FROM g",
                r -> {
                    double v = 0;
                    for (JsonNode g : r) v += g.get(2).get(0).asDouble();
                    return v;
                }));
        return t;
    }

    /** Generates the dataset unless it is there, fills the rollups from it; returns the seconds it took (0 when reused). */
    private static double prepare(Path dir, long events) throws Exception {
        if (Files.exists(dir.resolve("sightline.duckdb"))) return 0;
        long t0 = System.nanoTime();
        long sessions = Math.max(1, events / 5);
        long visitors = Math.max(1, sessions / 4);
        System.out.println("generating about " + events + " web events in " + sessions + " sessions...");
        try (Database db = Database.open(dir); Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.21)");
            s.execute("""
                    INSERT INTO events (project_id, uuid, event, distinct_id, timestamp, created_at, properties, person_id, person_properties,
                                        person_mode, session_id, ep_browser, ep_os, ep_device_type, ep_geoip_country_code,
                                        ep_geoip_subdivision_1_name, ep_geoip_city_name)
                    SELECT 1, uuid(), ev, 'anon-' || v, ts, ts,
                           json_object('$session_id', 's-' || sid, '$pathname', path, '$current_url', 'https://shop.test' || path,
                                       '$referring_domain', CASE WHEN k = 0 THEN ref ELSE 'shop.test' END,
                                       '$channel_type', channel, 'utm_source', CASE WHEN k = 0 AND channel = 'Paid Search' THEN 'google' END,
                                       '$browser_language', lang, '$timezone', 'Europe/Berlin',
                                       '$viewport_width', vw, '$viewport_height', 800, '$process_person_profile', false)::VARCHAR,
                           CAST(md5('v' || v) AS UUID), '{}', 'propertyless', 's-' || sid,
                           browser, os, device, country, region, city
                    FROM (
                        SELECT sid, v, k, st + to_seconds(CAST(k * 40 + floor(random() * 30) AS BIGINT)) AS ts,
                               CASE WHEN k = 0 THEN '$pageview' WHEN r < 0.6 THEN '$pageview' WHEN r < 0.78 THEN '$autocapture'
                                    WHEN r < 0.9 THEN '$pageleave' WHEN r < 0.95 THEN 'signed_up' ELSE 'custom_' || CAST(floor(r * 100) AS INT) END AS ev,
                               '/' || ['', 'pricing', 'docs', 'blog', 'about', 'signup', 'login', 'features', 'careers', 'contact',
                                       'docs/start', 'docs/api', 'blog/launch', 'blog/tips', 'changelog', 'security', 'terms', 'privacy',
                                       'integrations', 'customers'][1 + CAST(floor(pow(random(), 2) * 20) AS INT)] AS path,
                               ref, channel, browser, os, device, country, region, city, lang, vw
                        FROM (
                            SELECT i AS sid, CAST(floor(pow(random(), 2) * %d) AS BIGINT) AS v,
                                   TIMESTAMP '2025-01-01' + to_microseconds(CAST(random() * 7776000000000 AS BIGINT)) AS st,
                                   1 + CAST(floor(random() * 9) AS INT) AS n, random() AS b, random() AS g
                            FROM range(%d) t(i)) s0,
                        LATERAL (SELECT
                            CASE WHEN b < 0.45 THEN 'Direct' WHEN b < 0.75 THEN 'Organic Search' WHEN b < 0.85 THEN 'Paid Search' WHEN b < 0.95 THEN 'Referral' ELSE 'Organic Social' END AS channel,
                            CASE WHEN b < 0.45 THEN '$direct' WHEN b < 0.85 THEN 'www.google.com' WHEN b < 0.95 THEN 'news.ycombinator.com' ELSE 't.co' END AS ref,
                            ['Chrome', 'Safari', 'Firefox', 'Edge', 'Chrome'][1 + v %% 5] AS browser,
                            ['Windows', 'Mac OS X', 'iOS', 'Android', 'Linux'][1 + v %% 5] AS os,
                            CASE WHEN v %% 5 IN (2, 3) THEN 'Mobile' ELSE 'Desktop' END AS device,
                            ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA', 'NL', 'ES', 'IT', 'PL', 'SE', 'AU', 'MX'][1 + CAST(floor(pow(g, 2) * 15) AS INT)] AS country,
                            'Region ' || CAST(floor(g * 40) AS INT) AS region, 'City ' || CAST(floor(g * 200) AS INT) AS city,
                            ['en-US', 'de-DE', 'en-GB', 'fr-FR', 'pt-BR'][1 + v %% 5] AS lang,
                            CASE WHEN v %% 5 IN (2, 3) THEN 390 ELSE 1440 END AS vw) a,
                        LATERAL (SELECT unnest(range(n)) AS k, random() AS r) e
                    ) ORDER BY ts""".formatted(visitors, sessions));
        }
        try (Database db = Database.open(dir)) {
            db.rebuildSessionSpans();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
