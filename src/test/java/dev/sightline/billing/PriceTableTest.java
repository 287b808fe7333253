package dev.sightline.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The tier arithmetic, edge by edge: what a month of N events costs. */
class PriceTableTest {

    @ParameterizedTest(name = "{0} anonymous events cost ${1}")
    @CsvSource({
            "0,                0",
            "1,                0",
            "1000000,          0",            // exactly the free million
            "1000001,          0.00005",      // the first billed event
            "2000000,          50",           // the end of the first billed tier: 1M × 0.00005
            "2000001,          50.0000343",
            "15000000,         495.9",        // + 13M × 0.0000343
            "15000001,         495.9000295",
            "50000000,         1528.4",       // + 35M × 0.0000295
            "50000001,         1528.4000218",
            "100000000,        2618.4",       // + 50M × 0.0000218
            "100000001,        2618.400015",
            "250000000,        4868.4",       // + 150M × 0.000015
            "250000001,        4868.400009",
            "10000000000,      92618.4"       // a very large month: + 9.75B × 0.000009
    })
    void anonymous(long events, String dollars) {
        assertThat(PriceTable.ANONYMOUS.cost(events)).isEqualByComparingTo(new BigDecimal(dollars));
    }

    @Test
    void noOverflowAtTheLargestCount() {
        assertThat(PriceTable.ANONYMOUS.cost(Long.MAX_VALUE)).isEqualByComparingTo(expectedAt(PriceTable.ANONYMOUS, Long.MAX_VALUE));
        assertThat(PriceTable.IDENTIFIED.cost(Long.MAX_VALUE)).isEqualByComparingTo(expectedAt(PriceTable.IDENTIFIED, Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0} identified events cost ${1}")
    @CsvSource({
            "0,                0",
            "1000000,          0",
            "1000001,          0.000248",
            "2000000,          248",          // 1M × 0.000248
            "2000001,          248.000124",
            "15000000,         1860",         // + 13M × 0.000124
            "15000001,         1860.0000744",
            "50000000,         4464",         // + 35M × 0.0000744
            "50000001,         4464.0000496",
            "100000000,        6944",         // + 50M × 0.0000496
            "100000001,        6944.0000372",
            "250000000,        12524",        // + 150M × 0.0000372
            "250000001,        12524.0000248",
            "10000000000,      254324"        // + 9.75B × 0.0000248
    })
    void identified(long events, String dollars) {
        assertThat(PriceTable.IDENTIFIED.cost(events)).isEqualByComparingTo(new BigDecimal(dollars));
    }

    /** The last tier's price times the events beyond its start, plus the bounded tiers: computed apart from cost(). */
    private static BigDecimal expectedAt(PriceTable table, long events) {
        BigDecimal sum = BigDecimal.ZERO;
        long from = 0;
        for (PriceTable.Tier t : table.tiers()) {
            long to = t.upTo().orElse(events);
            sum = sum.add(t.pricePerEvent().multiply(BigDecimal.valueOf(to - from)));
            from = to;
        }
        return sum;
    }

    @Test
    void theFreeAllowanceIsTheLeadingTiersPricedZero() {
        assertThat(PriceTable.ANONYMOUS.freeEvents()).isEqualTo(1_000_000);
        assertThat(PriceTable.IDENTIFIED.freeEvents()).isEqualTo(1_000_000);
        assertThat(new PriceTable(List.of(PriceTable.Tier.beyond("0.001"))).freeEvents()).isZero();
    }

    @Test
    void everyIdentifiedTierCostsMoreThanTheAnonymousTierAtTheSameVolume() {
        for (int i = 1; i < PriceTable.IDENTIFIED.tiers().size(); i++) {
            assertThat(PriceTable.IDENTIFIED.tiers().get(i).pricePerEvent())
                    .isGreaterThan(PriceTable.ANONYMOUS.tiers().get(i).pricePerEvent());
            assertThat(PriceTable.IDENTIFIED.tiers().get(i).upTo()).isEqualTo(PriceTable.ANONYMOUS.tiers().get(i).upTo());
        }
    }

    @Test
    void aTableMustBeWellFormed() {
        assertThatThrownBy(() -> new PriceTable(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriceTable(List.of(PriceTable.Tier.upTo(10, "0"))))
                .hasMessageContaining("last tier");
        assertThatThrownBy(() -> new PriceTable(List.of(PriceTable.Tier.upTo(10, "0"), PriceTable.Tier.upTo(10, "1"), PriceTable.Tier.beyond("1"))))
                .hasMessageContaining("grow");
        assertThatThrownBy(() -> new PriceTable(List.of(PriceTable.Tier.beyond("0"), PriceTable.Tier.beyond("1"))))
                .hasMessageContaining("only the last");
        assertThatThrownBy(() -> PriceTable.Tier.beyond("-0.1")).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> PriceTable.ANONYMOUS.cost(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
