package dev.sightline.webanalytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.query.QueryContext;
import dev.sightline.query.QueryService;
import java.util.Map;

/**
 * The web analytics package's one entry: the web query kinds ({@code WebOverviewQuery},
 * {@code WebStatsTableQuery}, {@code WebGoalsQuery}, {@code WebTrendsQuery} and
 * {@code WebLiveVisitorsQuery}) answered from the rollups kept at ingest (docs/web-analytics.md).
 */
public final class WebAnalytics implements QueryService.Kind {
    @Override
    public boolean handles(String kind) {
        return WebQueryParser.handles(kind);
    }

    @Override
    public void check(JsonNode query) {
        WebQueryParser.parse(query);
    }

    @Override
    public Map<String, Object> run(JsonNode query, QueryContext ctx) {
        return WebRunner.run(WebQueryParser.parse(query), ctx);
    }
}
