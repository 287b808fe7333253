package dev.sightline.identity;

/** What joined (or separated) two persons. */
public enum MergeRule {
    /** {@code $identify} with {@code $anon_distinct_id}. */
    IDENTIFY("$identify"),
    /** {@code $create_alias} with {@code alias}. */
    ALIAS("$create_alias"),
    /** {@code $merge_dangerously} with {@code alias}: merges even an identified person away. */
    MERGE_DANGEROUSLY("$merge_dangerously"),
    /** A split: the reverse of a merge, asked for by a user, not by an event. */
    SPLIT("split");

    private final String eventName;

    MergeRule(String eventName) {
        this.eventName = eventName;
    }

    public String eventName() {
        return eventName;
    }
}
