package dev.sightline.app;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line text progress bar with rate and time left, redrawn in place on a terminal and
 * printed every ten percent otherwise (so logs of scripted runs stay short).
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastDraw;
    private int lastTenth = -1;

    ProgressBar(PrintStream out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    static ProgressBar onConsole(String label) {
        return new ProgressBar(System.err, label, System.console() != null);
    }

    @Override
    public void update(long events, double fraction) {
        long now = System.nanoTime();
        int tenth = (int) Math.floor(Math.min(1, fraction) * 10);
        if (terminal ? now - lastDraw < REDRAW_NANOS : tenth == lastTenth) return;
        lastDraw = now;
        lastTenth = tenth;
        draw(events, fraction, now);
    }

    @Override
    public void finish(long events) {
        if (!terminal && lastTenth == 10) return;
        draw(events, 1, System.nanoTime());
        if (terminal) out.println();
    }

    private void draw(long events, double fraction, long now) {
        double f = Math.max(0, Math.min(1, fraction));
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        int filled = (int) Math.round(f * WIDTH);
        String eta = f > 0.001 ? clock((long) (seconds * (1 - f) / f)) : "--:--";
        String line = "%s [%s%s] %3d%%  %,d events  %,.0f/s  %s  ETA %s".formatted(label, "#".repeat(filled), "-".repeat(WIDTH - filled),
                Math.round(f * 100), events, events / seconds, clock((long) seconds), eta);
        if (terminal) out.print("\r" + line);
        else out.println(line);
        out.flush();
    }

    static String clock(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        return d.toHours() > 0 ? "%d:%02d:%02d".formatted(d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : "%d:%02d".formatted(d.toMinutesPart(), d.toSecondsPart());
    }
}
