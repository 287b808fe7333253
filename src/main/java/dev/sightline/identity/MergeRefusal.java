package dev.sightline.identity;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * When identify, alias or merge_dangerously does <em>not</em> join two persons. All refusals live
 * here; {@code MergeRefusalTest} beside it pins every case.
 *
 * <ol>
 *   <li>The two ids are equal: nothing to do, silently (posthog-node sends such events).</li>
 *   <li>Either id is illegal (only white space as JavaScript's {@code trim} sees it, or a
 *       placeholder like "anonymous", "null", "[object Object]"):
 *       warning {@code cannot_merge_with_illegal_distinct_id}; the event is then handled as a plain
 *       event and does not mark anyone identified.</li>
 *   <li>Both ids have persons, and the one to be merged away (behind {@code $anon_distinct_id} or
 *       {@code alias}) is already identified: {@code $identify} and {@code $create_alias} refuse
 *       with warning {@code cannot_merge_already_identified}; {@code $merge_dangerously} never
 *       refuses. Whether the surviving person is identified does not matter.</li>
 * </ol>
 */
final class MergeRefusal {

    // Ids that come from bugs in client code (an unset variable, a stringified object). Merging on
    // them would glue unrelated people together, so they never merge, but still get a person.
    private static final Set<String> ILLEGAL_IGNORING_CASE = withQuotedForms(List.of(
            "anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated", "email",
            "undefined", "true", "false"));
    // Only these exact spellings: "NaN" is a bug, "nan" may be a real user name.
    private static final Set<String> ILLEGAL_EXACT = withQuotedForms(List.of(
            "[object Object]", "NaN", "None", "none", "null", "0", "undefined"));

    private MergeRefusal() {
    }

    static boolean isIllegal(String distinctId) {
        // trimmed as JavaScript does; the lists are compared with the id as sent, as PostHog does
        return JsCoercion.trim(distinctId).isEmpty()
                || ILLEGAL_IGNORING_CASE.contains(distinctId.toLowerCase(Locale.ROOT))
                || ILLEGAL_EXACT.contains(distinctId);
    }

    /** Rule 1. */
    static boolean isSelfMerge(String otherId, String intoId) {
        return otherId.equals(intoId);
    }

    /** Rule 2: the warning to raise when either id is illegal; the id to be kept is checked first. */
    static Optional<IngestionWarning> illegalId(String otherId, String intoId, UUID eventUuid) {
        if (isIllegal(intoId)) {
            return Optional.of(illegalIdWarning(intoId, otherId, eventUuid));
        }
        if (isIllegal(otherId)) {
            return Optional.of(illegalIdWarning(otherId, intoId, eventUuid));
        }
        return Optional.empty();
    }

    /** Rule 3: the warning to raise when {@code mergedAway} must not be merged into another person. */
    static Optional<IngestionWarning> alreadyIdentified(MergeRule rule, Person mergedAway, String otherId,
                                                        String intoId, UUID eventUuid) {
        if (rule == MergeRule.MERGE_DANGEROUSLY || !mergedAway.identified()) {
            return Optional.empty();
        }
        return Optional.of(new IngestionWarning("cannot_merge_already_identified", Map.of(
                "sourcePersonDistinctId", otherId,
                "targetPersonDistinctId", intoId,
                "eventUuid", eventUuid.toString())));
    }

    private static IngestionWarning illegalIdWarning(String illegal, String other, UUID eventUuid) {
        return new IngestionWarning("cannot_merge_with_illegal_distinct_id", Map.of(
                "illegalDistinctId", illegal,
                "otherDistinctId", other,
                "eventUuid", eventUuid.toString()));
    }

    private static Set<String> withQuotedForms(List<String> bare) {
        Set<String> all = new HashSet<>();
        for (String id : bare) {
            all.add(id);
            all.add("'" + id + "'");
            all.add("\"" + id + "\"");
        }
        return Set.copyOf(all);
    }
}
