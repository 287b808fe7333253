package dev.sightline.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a merge is refused: see {@link MergeRefusal}. */
class MergeRefusalTest {
    private static final UUID EVENT = new UUID(0, 1);

    @ParameterizedTest(name = "illegal: [{0}]")
    @ValueSource(strings = {
            // blank
            "", " ", "\t\n",
            // case-insensitive list, any casing, bare and quoted
            "anonymous", "Anonymous", "ANONYMOUS", "guest", "GuEsT", "distinctid", "DistinctId", "distinct_id",
            "id", "ID", "not_authenticated", "email", "Email", "undefined", "UNDEFINED", "true", "True", "false",
            "FALSE", "'anonymous'", "\"guest\"", "'Id'", "\"EMAIL\"",
            // case-sensitive list, exact spelling, bare and quoted
            "[object Object]", "NaN", "None", "none", "null", "0", "'NaN'", "\"null\"", "'0'", "\"0\"",
            "\"[object Object]\""})
    void illegalIds(String id) {
        assertThat(MergeRefusal.isIllegal(id)).isTrue();
    }

    @ParameterizedTest(name = "legal: [{0}]")
    @ValueSource(strings = {"nan", "NAN", "Null", "NULL", "NONE", "[object object]", "00", "1", "user-1",
            "anonymous1", " anonymous", "'anonymous", "`null`", "guest@example.com", "a@b.c"})
    void legalIds(String id) {
        assertThat(MergeRefusal.isIllegal(id)).isFalse();
    }

    @Test
    void theIdToKeepIsReportedFirstWhenBothAreIllegal() {
        assertThat(MergeRefusal.illegalId("guest", "null", EVENT)).hasValueSatisfying(w -> {
            assertThat(w.type()).isEqualTo("cannot_merge_with_illegal_distinct_id");
            assertThat(w.details()).containsEntry("illegalDistinctId", "null").containsEntry("otherDistinctId", "guest");
        });
        assertThat(MergeRefusal.illegalId("anon-1", "user-1", EVENT)).isEmpty();
    }

    @Test
    void sameIdsAreNotAMerge() {
        assertThat(MergeRefusal.isSelfMerge("u", "u")).isTrue();
        assertThat(MergeRefusal.isSelfMerge("u", "U")).isFalse();
    }

    @Test
    void identifyAndAliasRefuseToMergeAwayAnIdentifiedPerson() {
        Person identified = person(true);
        assertThat(MergeRefusal.alreadyIdentified(MergeRule.IDENTIFY, identified, "other", "into", EVENT))
                .hasValueSatisfying(w -> {
                    assertThat(w.type()).isEqualTo("cannot_merge_already_identified");
                    assertThat(w.details()).containsEntry("sourcePersonDistinctId", "other")
                            .containsEntry("targetPersonDistinctId", "into");
                });
        assertThat(MergeRefusal.alreadyIdentified(MergeRule.ALIAS, identified, "other", "into", EVENT)).isPresent();
    }

    @Test
    void mergeDangerouslyNeverRefuses() {
        assertThat(MergeRefusal.alreadyIdentified(MergeRule.MERGE_DANGEROUSLY, person(true), "o", "i", EVENT)).isEmpty();
    }

    @Test
    void anAnonymousPersonMayAlwaysBeMergedAway() {
        assertThat(MergeRefusal.alreadyIdentified(MergeRule.IDENTIFY, person(false), "o", "i", EVENT)).isEmpty();
        assertThat(MergeRefusal.alreadyIdentified(MergeRule.ALIAS, person(false), "o", "i", EVENT)).isEmpty();
    }

    private static Person person(boolean identified) {
        return new Person(UUID.randomUUID(), 1, PropertyMap.empty(), identified, Instant.EPOCH, 0);
    }
}
