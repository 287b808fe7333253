package dev.sightline.pipeline;

import java.util.List;
import java.util.function.LongPredicate;

/**
 * A project that anonymizes IPs (its settings' "IP storage" off) keeps no {@code $ip} on its
 * events, whatever sent it: the server's own address facts or a client-sent {@code $ip}. It runs
 * after enrichment, so the location looked up from the address stays, as in PostHog. It runs
 * whether enrichment is on or not.
 */
public final class IpPrivacyStage implements Stage {
    private final LongPredicate anonymize;

    public IpPrivacyStage(LongPredicate anonymize) {
        this.anonymize = anonymize;
    }

    @Override
    public void process(List<IngestEvent> batch) {
        for (IngestEvent e : batch) {
            if (anonymize.test(e.projectId())) e.properties().remove("$ip");
        }
    }
}
