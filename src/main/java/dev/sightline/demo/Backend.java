package dev.sightline.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The product's own server, running posthog-node: billing events with revenue, sales leads,
 * aliases and company updates. Server events are personful and carry no browser facts.
 */
final class Backend {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Timed> out;
    private final Rng rng;

    Backend(List<Timed> out, Rng rng) {
        this.out = out;
        this.rng = rng;
    }

    /** posthog.capture({distinctId, event, properties, groups}); the caller adds its properties first. */
    ObjectNode capture(long at, String event, String distinctId, Optional<Names.Company> company) {
        ObjectNode root = JSON.objectNode();
        root.put("uuid", Ids.v7(at, rng));
        root.put("event", event);
        root.put("distinct_id", distinctId);
        root.put("timestamp", Ids.iso(at));
        ObjectNode p = root.putObject("properties");
        company.ifPresent(c -> p.putObject("$groups").put("company", c.key()));
        p.put("$lib", "posthog-node");
        p.put("$lib_version", "5.70.0");
        p.put("$geoip_disable", true);
        p.put("$is_server", true);
        out.add(new Timed(at, root));
        return p;
    }

    /** posthog.alias({distinctId, alias}): the lead's person is merged into the user's. */
    void alias(long at, String distinctId, String alias) {
        ObjectNode p = capture(at, "$create_alias", distinctId, Optional.empty());
        p.put("distinct_id", distinctId);
        p.put("alias", alias);
    }

    /** posthog.groupIdentify({groupType, groupKey, properties}) without a distinctId: posthog-node uses "$company_<key>". */
    void groupIdentify(long at, Names.Company company, String plan) {
        ObjectNode p = capture(at, "$groupidentify", "$company_" + company.key(), Optional.empty());
        p.put("$group_type", "company");
        p.put("$group_key", company.key());
        p.putObject("$group_set").put("plan", plan);
    }
}
