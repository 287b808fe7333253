package dev.sightline.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** posthog-semantics.md §8: which events bill, and at which rate. */
class UsageClassTest {

    @ParameterizedTest(name = "{0} with {1} → {2}")
    @CsvSource({
            "$pageview,          FULL,          IDENTIFIED",
            "$pageview,          FORCE_UPGRADE, IDENTIFIED",
            "$pageview,          PROPERTYLESS,  ANONYMOUS",
            "$identify,          FULL,          IDENTIFIED",
            "signed up,          PROPERTYLESS,  ANONYMOUS",
            "$feature_flag_called, FULL,        NOT_BILLED",
            "$feature_flag_called, PROPERTYLESS, NOT_BILLED",
            "survey sent,        FULL,          NOT_BILLED",
            "survey shown,       FULL,          NOT_BILLED",
            "survey dismissed,   PROPERTYLESS,  NOT_BILLED",
            "survey answered,    FULL,          IDENTIFIED",
            "$exception,         FULL,          NOT_BILLED",
            "$ai_generation,     FULL,          NOT_BILLED",
            "$ai_span,           PROPERTYLESS,  NOT_BILLED",
            "ai_generation,      FULL,          IDENTIFIED",
    })
    void classifies(String event, PersonMode mode, UsageClass expected) {
        assertThat(UsageClass.of(event, mode)).isEqualTo(expected);
    }
}
