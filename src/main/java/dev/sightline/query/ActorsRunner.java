package dev.sightline.query;

import java.util.Map;

final class ActorsRunner implements Runner<Query.Actors> {
    @Override
    public Map<String, Object> run(Query.Actors q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
