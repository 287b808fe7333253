package dev.sightline.query;

import java.util.Map;

final class EventsRunner implements Runner<Query.Events> {
    @Override
    public Map<String, Object> run(Query.Events q, QueryContext ctx) {
        throw new InvalidQuery("kind", "not implemented yet");
    }
}
