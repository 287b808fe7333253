package dev.sightline.identity;

/**
 * How an event counts for billing: PostHog bills analytics events, and identified ones (with a
 * person profile) at a higher rate than anonymous ones.
 */
public enum UsageClass {
    /** Billed as an event with a person profile: person mode full or force_upgrade. */
    IDENTIFIED,
    /** Billed as an anonymous event: person mode propertyless. */
    ANONYMOUS,
    /** Not an analytics event for billing: flag calls, survey events, exceptions, AI events are billed by their own products. */
    NOT_BILLED;

    public static UsageClass of(String event, PersonMode mode) {
        if (isBilledElsewhere(event)) {
            return NOT_BILLED;
        }
        return mode == PersonMode.PROPERTYLESS ? ANONYMOUS : IDENTIFIED;
    }

    private static boolean isBilledElsewhere(String event) {
        return switch (event) {
            case "$feature_flag_called", "survey sent", "survey shown", "survey dismissed", "$exception" -> true;
            default -> event.startsWith("$ai_");
        };
    }
}
