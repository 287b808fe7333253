package dev.sightline.query;

import java.util.Map;

final class LifecycleRunner implements Runner<Query.Lifecycle> {
    @Override
    public Map<String, Object> run(Query.Lifecycle q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
