package dev.sightline.demo;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A fixed list of choices with weights; picks by binary search over the cumulative weights. */
final class Weighted<T> {
    private final List<T> items;
    private final double[] cumulative;

    Weighted(List<T> items, ToDoubleFunction<T> weight) {
        this.items = List.copyOf(items);
        this.cumulative = new double[items.size()];
        double sum = 0;
        for (int i = 0; i < items.size(); i++) {
            sum += weight.applyAsDouble(items.get(i));
            cumulative[i] = sum;
        }
        if (items.isEmpty() || sum <= 0) throw new IllegalArgumentException("nothing to choose from");
    }

    T pick(Rng rng) {
        double x = rng.unit() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        i = i < 0 ? -i - 1 : i + 1; // an exact hit on a boundary belongs to the next choice
        return items.get(Math.min(i, items.size() - 1));
    }
}
