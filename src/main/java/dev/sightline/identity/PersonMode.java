package dev.sightline.identity;

/** How an event was attached to a person; stored on the event as PostHog's {@code person_mode}. */
public enum PersonMode {
    /** A real person profile was found or created and its properties are on the event. */
    FULL("full"),
    /** Sent with {@code $process_person_profile: false}: no profile written, empty person properties. */
    PROPERTYLESS("propertyless"),
    /** Sent personless, but a real person older than a minute already existed: billed as identified. */
    FORCE_UPGRADE("force_upgrade");

    private final String wireName;

    PersonMode(String wireName) {
        this.wireName = wireName;
    }

    /** The value PostHog writes into {@code events.person_mode}. */
    public String wireName() {
        return wireName;
    }
}
