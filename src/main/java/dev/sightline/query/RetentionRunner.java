package dev.sightline.query;

import java.util.Map;

final class RetentionRunner implements Runner<Query.Retention> {
    @Override
    public Map<String, Object> run(Query.Retention q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
