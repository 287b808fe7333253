package dev.sightline.query;

import java.util.Map;

final class PathsRunner implements Runner<Query.Paths> {
    @Override
    public Map<String, Object> run(Query.Paths q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
