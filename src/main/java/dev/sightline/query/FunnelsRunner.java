package dev.sightline.query;

import java.util.Map;

final class FunnelsRunner implements Runner<Query.Funnels> {
    @Override
    public Map<String, Object> run(Query.Funnels q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
