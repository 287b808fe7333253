package dev.sightline.insight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DashboardFiltersTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aDashboardDateRangeReplacesTheInsightsAndItsPropertiesAreAdded() throws Exception {
        JsonNode query = json("""
                {"kind":"TrendsQuery","series":[{"kind":"EventsNode","event":"e"}],"dateRange":{"date_from":"-30d"},
                 "properties":[{"key":"plan","value":"pro","type":"person"}]}""");
        JsonNode out = DashboardFilters.apply(query, json("""
                {"date_from":"-7d","properties":[{"key":"$browser","value":"Chrome","type":"event"}]}"""));
        assertThat(out.at("/dateRange/date_from").asText()).isEqualTo("-7d");
        assertThat(out.at("/dateRange").has("date_to")).isFalse();
        assertThat(out.get("properties")).hasSize(2);
        assertThat(out.at("/properties/1/key").asText()).isEqualTo("$browser");
        assertThat(query.at("/dateRange/date_from").asText()).as("the saved query is not changed").isEqualTo("-30d");
    }

    @Test
    void aGroupOfInsightFiltersAndTheDashboardsMustBothHold() throws Exception {
        JsonNode query = json("""
                {"kind":"InsightVizNode","source":{"kind":"TrendsQuery","series":[],"properties":{"type":"OR","values":[
                 {"type":"AND","values":[{"key":"a","value":"1"}]}]}}}""");
        JsonNode out = DashboardFilters.apply(query, json("{\"properties\":[{\"key\":\"b\",\"value\":\"2\"}]}"));
        assertThat(out.at("/source/properties/type").asText()).isEqualTo("AND");
        assertThat(out.at("/source/properties/values/0/type").asText()).isEqualTo("OR");
        assertThat(out.at("/source/properties/values/1/values/0/key").asText()).isEqualTo("b");
        assertThat(out.at("/source").has("dateRange")).as("no dashboard date range: the insight keeps its own").isFalse();
    }

    @Test
    void noFiltersChangeNothing() throws Exception {
        JsonNode query = json("{\"kind\":\"TrendsQuery\",\"series\":[],\"dateRange\":{\"date_from\":\"-30d\"}}");
        assertThat(DashboardFilters.apply(query, json("{}"))).isEqualTo(query);
        assertThat(DashboardFilters.apply(query, json("{\"properties\":[],\"date_from\":null}"))).isEqualTo(query);
    }
}
