package dev.sightline.query;

/** Prints a breakdown's value expression over the event relation {@code ev}. */
final class Breakdowns {
    private Breakdowns() {}

    static void value(Sql sql, Query.Breakdown b) {
        value(sql, b, 0);
    }

    /**
     * The value of the breakdown in {@code slot} of several (a TrendsQuery may split by up to
     * three): each slot joins under aliases of its own.
     */
    static void value(Sql sql, Query.Breakdown b, int slot) {
        String n = suffix(slot);
        switch (b.type()) {
            case EVENT -> sql.add(sql.dialect().eventProperty("ev", b.property()));
            case PERSON -> sql.add("pbd" + n + ".v");
            case SESSION -> sql.add("sess" + n + ".sv");
            case GROUP -> sql.add("gbd" + n + ".v");
            case COHORT -> sql.add("cbd" + n + ".v");
        }
    }

    private static String suffix(int slot) {
        return slot == 0 ? "" : Integer.toString(slot);
    }

    /**
     * Joins what {@link #value} reads for a person or session breakdown onto the events {@code ev}
     * (nothing for an event breakdown).
     */
    static void join(Sql sql, Query.Breakdown b) {
        join(sql, b, 0, java.util.Optional.empty());
    }

    /**
     * {@link #join} for the breakdown in {@code slot}, under that slot's aliases, for events all
     * inside {@code span}: a session breakdown then computes only the sessions with an event in it
     * (each still from all its events).
     */
    static void join(Sql sql, Query.Breakdown b, int slot, java.util.Optional<Filters.Span> span) {
        String n = suffix(slot);
        switch (b.type()) {
            case EVENT -> { }
            case COHORT -> joinCohorts(sql, b, n);
            case SESSION -> joinSessions(sql, b, n, span);
            // the group's current value, through the event's group key of that type
            case GROUP -> sql.add(" LEFT JOIN (SELECT gb0.group_key, ").add(sql.dialect().property("gb0.properties", b.property()))
                    .add(" AS v FROM ").from(Dialect.Relation.GROUPS, "gb0").add(" WHERE gb0.group_type_index = ").bind(b.groupTypeIndex())
                    .add(") gbd" + n + " ON gbd" + n + ".group_key = ev.group_" + b.groupTypeIndex());
            // each person's value read once, then matched to the events by who they count as
            case PERSON -> sql.add(" LEFT JOIN (SELECT pb0.id, ").add(sql.dialect().property("pb0.properties", b.property())).add(" AS v FROM ")
                    .from(Dialect.Relation.PERSONS, "pb0").add(") pbd" + n + " ON pbd" + n + ".id = ev.person_id");
        }
    }

    /**
     * One row per (person, cohort) for the listed cohorts, matched to the events by who they count
     * as: an inner join, so an event of a person in two cohorts counts in both and one in none in
     * neither (PostHog's cohort breakdown). "all" is every person.
     */
    private static void joinCohorts(Sql sql, Query.Breakdown b, String n) {
        sql.add(" JOIN (");
        String[] ids = b.property().split(",");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) sql.add(" UNION ALL ");
            if (ids[i].equals("all")) {
                sql.add("SELECT ca" + i + ".id, ").bind("all").add(" AS v FROM ").from(Dialect.Relation.PERSONS, "ca" + i);
            } else {
                sql.add("SELECT cm" + i + ".id, ").bind(ids[i]).add(" AS v FROM ").cohort(Long.parseLong(ids[i]), "cm" + i);
            }
        }
        sql.add(") cbd" + n + " ON cbd" + n + ".id = ev.person_id");
    }

    /**
     * Session properties come from all events of the session: {@code $session_duration} (whole
     * seconds from first to last event), {@code $entry_X} / {@code $exit_X} (property X of the first /
     * last event that has it), any other key: that property on the first event that has it.
     */
    private static void joinSessions(Sql sql, Query.Breakdown b, String n, java.util.Optional<Filters.Span> span) {
        sql.add(" LEFT JOIN ");
        sessionValues(sql, b.property(), span);
        sql.add(" sess" + n + " ON sess" + n + ".sid = ev.session_id");
    }

    /**
     * {@code (SELECT sid, sv ...)}: a session property's value for each session, for the sessions
     * with an event in {@code span} when it is known (each still computed from all its events).
     * The duration reads the spans kept at ingest; other properties group the session's events.
     */
    static void sessionValues(Sql sql, String key, java.util.Optional<Filters.Span> span) {
        Dialect d = sql.dialect();
        if (key.equals("$session_duration")) {
            sql.add("(SELECT sx.session_id AS sid, CAST(epoch(sx.end_ts) - epoch(sx.start_ts) AS BIGINT) AS sv FROM ")
                    .from(Dialect.Relation.SESSION_SPANS, "sx");
            // a session with an event in the span has its first event before the span's end and its last after its start
            span.ifPresent(in -> sql.add(" WHERE sx.end_ts >= ").add(d.instant(in.from())).add(" AND sx.start_ts <= ").add(d.instant(in.to())));
            sql.add(")");
            return;
        }
        sql.add("(SELECT s0.session_id AS sid, ");
        if (key.startsWith("$exit_")) {
            sql.add("arg_max(").add(d.eventProperty("s0", "$" + key.substring("$exit_".length()))).add(", s0.timestamp)");
        } else {
            String prop = key.startsWith("$entry_") ? "$" + key.substring("$entry_".length()) : key;
            sql.add("arg_min(").add(d.eventProperty("s0", prop)).add(", s0.timestamp)");
        }
        sql.add(" AS sv FROM ").from(Dialect.Relation.EVENT_ROWS, "s0").add(" WHERE s0.session_id IS NOT NULL");
        span.ifPresent(in -> sql.add(" AND s0.session_id IN (SELECT s1.session_id FROM ").from(Dialect.Relation.EVENT_ROWS, "s1")
                .add(" WHERE s1.timestamp >= ").add(d.instant(in.from())).add(" AND s1.timestamp <= ").add(d.instant(in.to()))
                .add(" AND s1.session_id IS NOT NULL)"));
        sql.add(" GROUP BY s0.session_id)");
    }

    /** A cohort breakdown's value (a cohort's id, or {@code all}) as people read it: the cohort's name, or "All users". */
    static String cohortLabel(QueryContext ctx, String value) {
        return value.equals("all") ? "All users" : value.matches("\\d{1,18}") ? ctx.cohorts().name(Long.parseLong(value)) : value;
    }
}
