package dev.sightline.query;

import java.util.Map;

final class StickinessRunner implements Runner<Query.Stickiness> {
    @Override
    public Map<String, Object> run(Query.Stickiness q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
