package dev.sightline.query;

import java.util.Map;

/** Computes one query kind; the map is the response body's fields ({@code results} and kind-specific ones). */
interface Runner<Q extends Query> {
    Map<String, Object> run(Q query, QueryContext ctx);
}
