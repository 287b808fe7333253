package dev.sightline.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SQL text with its bound parameters, for one project. Runners write fixed SQL through
 * {@link #add(String)} and values through {@link #bind}; a stored table can only be named through
 * {@link #from}, which prints the dialect's relation with the project id bound into it. Any
 * fixed text that names a stored table is refused, so a query cannot escape its project.
 */
public final class Sql {
    private static final Pattern STORED_TABLE = Pattern.compile(
            "(?i)\\b(events|persons|person_distinct_ids|person_distinct_id_overrides|personless_distinct_ids|person_merges"
                    + "|groups|group_type_mappings|projects|organizations|personal_api_keys|schema_version|project_settings|sessions|session_spans|session_span_parts|materialized_properties|users|browser_sessions|invites|project_options|insights|dashboards|dashboard_tiles|project_retention|usage_counters|usage_counter_parts|billing_limits|billing_price_tiers|cohorts|cohort_people|cohort_static_people|web_sessions|web_session_parts|web_page_views|web_custom_events)\\b");

    private final long projectId;
    private final Dialect.Shape shape;
    private final Dialect dialect;
    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final CohortRelation cohorts;

    public Sql(long projectId, Dialect dialect) {
        this(projectId, dialect, Dialect.Shape.ANY);
    }

    /** @param shape what the project's events need for their person (see {@link Dialect#relation(Dialect.Relation, Dialect.Shape)}) */
    public Sql(long projectId, Dialect dialect, Dialect.Shape shape) {
        this(projectId, dialect, shape, CohortRelation.NONE);
    }

    /** @param cohorts how this statement reads the project's cohorts ({@link #cohort}) */
    public Sql(long projectId, Dialect dialect, Dialect.Shape shape, CohortRelation cohorts) {
        this.cohorts = cohorts;
        this.shape = shape;
        this.projectId = projectId;
        this.dialect = dialect;
    }

    public Dialect dialect() { return dialect; }

    public Sql add(String fixed) {
        if (STORED_TABLE.matcher(fixed).find() || fixed.contains(Dialect.PROJECT)) {
            throw new IllegalStateException("SQL text may not name a stored table; use Sql.from: " + fixed);
        }
        text.append(fixed);
        return this;
    }

    public Sql add(Dialect.Fragment f) {
        add(f.text());
        params.addAll(f.params());
        return this;
    }

    /** Appends another piece built for the same project. */
    public Sql add(Sql other) {
        if (other.projectId != projectId) throw new IllegalStateException("mixing SQL of two projects");
        text.append(other.text);
        params.addAll(other.params);
        return this;
    }

    public Sql bind(Object value) {
        text.append('?');
        params.add(value);
        return this;
    }

    /** {@code ?, ?, ?} for each value. */
    public Sql bindAll(List<?> values) {
        text.append(String.join(", ", Collections.nCopies(values.size(), "?")));
        params.addAll(values);
        return this;
    }

    /** A stored relation of this project, as a parenthesized subquery followed by {@code alias}. */
    public Sql from(Dialect.Relation relation, String alias) {
        String template = dialect.relation(relation, shape);
        int at = 0;
        for (int i = template.indexOf(Dialect.PROJECT); i >= 0; i = template.indexOf(Dialect.PROJECT, at)) {
            text.append(template, at, i).append('?');
            params.add(projectId);
            at = i + Dialect.PROJECT.length();
        }
        text.append(template.substring(at)).append(' ');
        add(alias);
        return this;
    }

    /** A cohort of this project as a parenthesized relation of person ids ({@code id}) followed by {@code alias}. */
    public Sql cohort(long cohortId, String alias) {
        cohorts.members(this, cohortId);
        text.append(' ');
        add(alias);
        return this;
    }

    /** An empty statement for the same project, with the same shape and cohorts. */
    public Sql fresh() {
        return new Sql(projectId, dialect, shape, cohorts);
    }

    public Dialect.Shape shape() { return shape; }

    public String text() { return text.toString(); }

    public List<Object> params() { return List.copyOf(params); }

    @Override
    public String toString() { return text + " " + params; }
}
