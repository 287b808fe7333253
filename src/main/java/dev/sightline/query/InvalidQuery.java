package dev.sightline.query;

/** A query that cannot run as asked; {@code attr} names the offending field for the 400 answer. */
public final class InvalidQuery extends RuntimeException {
    private final String attr;

    public InvalidQuery(String attr, String detail) {
        super(detail, null, false, false);
        this.attr = attr;
    }

    public String attr() { return attr; }
}
