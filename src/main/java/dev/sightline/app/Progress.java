package dev.sightline.app;

/** Where a long operation reports how far it got: the console's bar, or the web app's progress. */
interface Progress {
    /** @param fraction how much of the work is done, 0 to 1 */
    void update(long events, double fraction);

    void finish(long events);
}
