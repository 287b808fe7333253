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

    /**
     * The class an event will have, where its name and {@code $process_person_profile} already say it
     * before person processing: not billed by its name, identified when it asks for a profile. Empty
     * for a personless event: anonymous, unless its distinct id has had a person for a minute
     * ({@link PersonMode#FORCE_UPGRADE}), which only person processing knows. Only the boolean
     * {@code false} asks for no profile (see {@code ProfileProcessing}).
     */
    public static java.util.Optional<UsageClass> beforePersons(String event, com.fasterxml.jackson.databind.JsonNode processPersonProfile) {
        if (isBilledElsewhere(event)) return java.util.Optional.of(NOT_BILLED);
        boolean personless = processPersonProfile != null && processPersonProfile.isBoolean() && !processPersonProfile.booleanValue();
        return personless ? java.util.Optional.empty() : java.util.Optional.of(IDENTIFIED);
    }

    private static boolean isBilledElsewhere(String event) {
        return switch (event) {
            case "$feature_flag_called", "survey sent", "survey shown", "survey dismissed", "$exception" -> true;
            default -> event.startsWith("$ai_");
        };
    }
}
