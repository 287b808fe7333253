package dev.sightline.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The person rules of posthog-semantics.md §2 and §3, one named scenario each. Every scenario starts
 * from an empty project; events are sent one per committed batch unless a scenario says otherwise.
 */
class PersonScenariosTest {

    record Scenario(String name, Consumer<World> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Scenario scenario(String name, Consumer<World> run) {
        return new Scenario(name, run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void holds(Scenario scenario) {
        scenario.run().accept(new World());
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                // ---- person uuids (§2.3) ----
                scenario("personless event of (1, test) gets person id 246f7a43-5507-564f-b687-793ee3c2dd79", w -> {
                    w.send("test", "$pageview", "{'$process_person_profile': false}");
                    assertThat(w.stamp().personId()).isEqualTo(UUID.fromString("246f7a43-5507-564f-b687-793ee3c2dd79"));
                }),
                scenario("uuidv5 of (2, test) is 00ce873a-549c-548e-bbec-cc804a385dd8", w ->
                        assertThat(World.uuidOf(2, "test")).isEqualTo(UUID.fromString("00ce873a-549c-548e-bbec-cc804a385dd8"))),
                scenario("uuidv5 of (1, test2) is 45c17302-ee44-5596-916a-0eba21f4b638", w -> {
                    w.send("test2", "$pageview", "{'$process_person_profile': false}");
                    assertThat(w.stamp().personId()).isEqualTo(UUID.fromString("45c17302-ee44-5596-916a-0eba21f4b638"));
                }),
                scenario("a person created by a plain event is named by the uuidv5 of its distinct id", w -> {
                    w.send("test", "$pageview");
                    assertThat(w.person("test").uuid()).isEqualTo(UUID.fromString("246f7a43-5507-564f-b687-793ee3c2dd79"));
                    assertThat(w.stamp().personId()).isEqualTo(w.person("test").uuid());
                }),

                // ---- $process_person_profile (§2.2, §2.3) ----
                scenario("$process_person_profile false: no profile, {} on the event, propertyless, marked personless", w -> {
                    w.send("anon", "$pageview", "{'$process_person_profile': false, '$set': {'a': 1}, '$browser': 'Firefox'}");
                    assertThat(w.hasPerson("anon")).isFalse();
                    assertThat(w.stamp().mode()).isEqualTo(PersonMode.PROPERTYLESS);
                    assertThat(w.stamp().personProperties().toObjectNode()).isEmpty();
                    assertThat(w.stamp().personCreatedAt()).isEqualTo(Instant.parse("1970-01-01T00:00:05Z"));
                    assertThat(w.stamp().eventProperties().has("$set")).isFalse();
                    assertThat(w.stamp().eventProperties().get("$process_person_profile").booleanValue()).isFalse();
                    assertThat(w.store.personlessMark(World.PROJECT, "anon")).contains(false);
                }),
                scenario("an invalid $process_person_profile warns and counts as true", w -> {
                    w.send("u", "$pageview", "{'$process_person_profile': 'no'}");
                    assertThat(w.warnings()).containsExactly("invalid_process_person_profile");
                    assertThat(w.stamp().mode()).isEqualTo(PersonMode.FULL);
                    assertThat(w.hasPerson("u")).isTrue();
                }),
                scenario("$process_person_profile true is not kept on the stored event", w -> {
                    w.send("u", "$pageview", "{'$process_person_profile': true}");
                    assertThat(w.stamp().eventProperties().has("$process_person_profile")).isFalse();
                }),
                scenario("$identify sent personless is dropped and changes nothing", w -> {
                    w.send("user", "$identify", "{'$process_person_profile': false, '$anon_distinct_id': 'anon'}");
                    assertThat(w.last()).isInstanceOf(EventOutcome.Dropped.class);
                    assertThat(((EventOutcome.Dropped) w.last()).reason())
                            .isEqualTo("invalid_event_when_process_person_profile_is_false");
                    assertThat(w.hasPerson("user")).isFalse();
                }),
                scenario("$create_alias, $merge_dangerously and $groupidentify sent personless are dropped", w -> {
                    for (String name : List.of("$create_alias", "$merge_dangerously", "$groupidentify")) {
                        w.send("user", name, "{'$process_person_profile': false, 'alias': 'x', '$group_type': 'company', '$group_key': 'acme'}");
                        assertThat(w.last()).as(name).isInstanceOf(EventOutcome.Dropped.class);
                    }
                    assertThat(w.hasPerson("user")).isFalse();
                    assertThat(w.store.group(new Group.Key(World.PROJECT, 0, "acme"))).isEmpty();
                }),
                scenario("personless events carry no group columns", w -> {
                    w.send("u", "$pageview", "{'$groups': {'company': 'acme'}}");
                    assertThat(w.stamp().groupColumns()).containsEntry(0, "acme");
                    w.send("anon", "$pageview", "{'$process_person_profile': false, '$groups': {'company': 'acme'}}");
                    assertThat(w.stamp().groupColumns()).isEmpty();
                }),

                // ---- personless events of an id that has a real person (§2.3) ----
                scenario("personless event within a minute of its person's creation: real person id, propertyless, no properties", w -> {
                    w.send("u", "$pageview", "{'$set': {'a': 1}}");
                    w.later(Duration.ofSeconds(30)).send("u", "$pageview", "{'$process_person_profile': false}");
                    assertThat(w.stamp().personId()).isEqualTo(w.person("u").uuid());
                    assertThat(w.stamp().mode()).isEqualTo(PersonMode.PROPERTYLESS);
                    assertThat(w.stamp().personProperties().toObjectNode()).isEmpty();
                }),
                scenario("personless event more than a minute after its person's creation is force_upgrade", w -> {
                    w.send("u", "$pageview");
                    w.later(Duration.ofSeconds(61)).send("u", "$pageview", "{'$process_person_profile': false}");
                    assertThat(w.stamp().mode()).isEqualTo(PersonMode.FORCE_UPGRADE);
                    assertThat(w.stamp().personId()).isEqualTo(w.person("u").uuid());
                    assertThat(w.stamp().personProperties().toObjectNode()).isEmpty();
                }),
                scenario("personless events never change an existing person", w -> {
                    w.send("u", "$pageview", "{'$set': {'a': 1}}");
                    long version = w.person("u").version();
                    w.later(Duration.ofHours(1)).send("u", "$pageview", "{'$process_person_profile': false, '$set': {'a': 2}}");
                    assertThat(w.prop("u", "a")).isEqualTo("1");
                    assertThat(w.person("u").version()).isEqualTo(version);
                }),

                // ---- auto person properties (§2.1) ----
                scenario("$browser goes into $set and $initial_browser into $set_once", w -> {
                    w.send("u", "$pageview", "{'$browser': 'Firefox'}");
                    // a new key makes this event write the person (a browser change alone would not: see filtered properties)
                    w.send("u", "$pageview", "{'$browser': 'Chrome', 'utm_source': 'news'}");
                    assertThat(w.prop("u", "$browser")).isEqualTo("\"Chrome\"");
                    assertThat(w.prop("u", "$initial_browser")).isEqualTo("\"Firefox\"");
                }),
                scenario("an explicit $set wins over a lifted event property", w -> {
                    w.send("u", "$pageview", "{'$browser': 'Firefox', '$set': {'$browser': 'Custom'}}");
                    assertThat(w.prop("u", "$browser")).isEqualTo("\"Custom\"");
                    assertThat(w.stamp().eventProperties().get("$set").get("$browser").textValue()).isEqualTo("Custom");
                }),
                scenario("server SDK events do not lift $os and $os_version", w -> {
                    w.send("u", "$pageview", "{'$is_server': true, '$os': 'Linux', '$os_version': '6.1', 'utm_source': 'news'}");
                    assertThat(w.prop("u", "$os")).isEqualTo("absent");
                    assertThat(w.prop("u", "$initial_os")).isEqualTo("absent");
                    assertThat(w.prop("u", "$os_version")).isEqualTo("absent");
                    assertThat(w.prop("u", "utm_source")).isEqualTo("\"news\"");
                }),
                scenario("$os_name only ever feeds $initial_os", w -> {
                    w.send("u", "$screen", "{'$os_name': 'iOS'}");
                    assertThat(w.prop("u", "$initial_os")).isEqualTo("\"iOS\"");
                    assertThat(w.prop("u", "$os_name")).isEqualTo("absent");
                    assertThat(w.prop("u", "$initial_os_name")).isEqualTo("absent");
                }),
                scenario("a null campaign value is set but is never taken as the first touch", w -> {
                    w.send("u", "$pageview", "{'utm_source': null}");
                    assertThat(w.prop("u", "utm_source")).isEqualTo("null");
                    assertThat(w.prop("u", "$initial_utm_source")).isEqualTo("absent");
                    w.send("u", "$pageview", "{'utm_source': 'google'}");
                    assertThat(w.prop("u", "$initial_utm_source")).isEqualTo("\"google\"");
                }),

                // ---- $set / $set_once / $unset (§2.6) ----
                scenario("$set_once only fills keys the person lacks", w -> {
                    w.send("u", "e", "{'$set_once': {'plan': 'free'}}");
                    w.send("u", "e", "{'$set_once': {'plan': 'pro', 'seats': 3}}");
                    assertThat(w.prop("u", "plan")).isEqualTo("\"free\"");
                    assertThat(w.prop("u", "seats")).isEqualTo("3");
                }),
                scenario("$set overrides a $set_once of the same key in the same event", w -> {
                    w.send("u", "e");
                    w.send("u", "e", "{'$set_once': {'k': 'once'}, '$set': {'k': 'set'}}");
                    assertThat(w.prop("u", "k")).isEqualTo("\"set\"");
                }),
                scenario("$unset after $set in one event removes a key the person already had", w -> {
                    w.send("u", "e", "{'$set': {'k': 1, 'keep': 1}}");
                    w.send("u", "e", "{'$set': {'k': 2}, '$unset': ['k']}");
                    assertThat(w.prop("u", "k")).isEqualTo("absent");
                    assertThat(w.prop("u", "keep")).isEqualTo("1");
                    // the event's own $set is still visible on the event itself
                    assertThat(w.stamp().personProperties().toObjectNode().get("k").intValue()).isEqualTo(2);
                }),
                scenario("$unset of a key that only appears in the same event keeps it", w -> {
                    w.send("u", "e");
                    w.send("u", "e", "{'$set': {'k': 1}, '$unset': ['k']}");
                    assertThat(w.prop("u", "k")).isEqualTo("1");
                }),
                scenario("the first event of a new person: $set and $unset of one key keeps it", w -> {
                    w.send("c1", "signed_up", "{'$set': {'plan': 'pro'}, '$unset': ['plan']}");
                    assertThat(w.prop("c1", "plan")).isEqualTo("\"pro\"");
                }),
                scenario("the first event of a new person: $set_once and $unset of one key keeps it", w -> {
                    w.send("c1", "signed_up", "{'$set_once': {'plan': 'pro'}, '$unset': {'plan': null}}");
                    assertThat(w.prop("c1", "plan")).isEqualTo("\"pro\"");
                }),
                scenario("an identify that creates the person: $set and $unset of one key keeps it", w -> {
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon', '$set': {'plan': 'pro'}, '$unset': ['plan']}");
                    assertThat(w.prop("anon", "plan")).isEqualTo("\"pro\"");
                }),
                scenario("an existing person that lacked the key keeps the $set of an event that also $unsets it", w -> {
                    w.send("c1", "e", "{'$set': {'seats': 3}}");
                    w.send("c1", "e", "{'$set': {'plan': 'pro'}, '$set_once': {'tier': 1}, '$unset': ['plan', 'tier', 'seats']}");
                    assertThat(w.prop("c1", "plan")).isEqualTo("\"pro\"");
                    assertThat(w.prop("c1", "tier")).isEqualTo("1");
                    assertThat(w.prop("c1", "seats")).isEqualTo("absent");
                }),
                scenario("in a merge, $unset removes keys either person had, not keys only the event sets", w -> {
                    w.send("anon", "e", "{'$set': {'from_anon': 1}}");
                    w.send("user", "e", "{'$set': {'from_user': 1}}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon', '$set': {'plan': 'pro'}, "
                            + "'$unset': ['plan', 'from_anon', 'from_user']}");
                    assertThat(w.samePerson("anon", "user")).isTrue();
                    assertThat(w.prop("user", "plan")).isEqualTo("\"pro\"");
                    assertThat(w.prop("user", "from_anon")).isEqualTo("absent");
                    assertThat(w.prop("user", "from_user")).isEqualTo("absent");
                }),
                scenario("$unset also accepts an object, using its keys", w -> {
                    w.send("u", "e", "{'$set': {'a': 1, 'b': 2}}");
                    w.send("u", "e", "{'$unset': {'a': null}}");
                    assertThat(w.prop("u", "a")).isEqualTo("absent");
                    assertThat(w.prop("u", "b")).isEqualTo("2");
                }),
                scenario("the event stamp holds the person's properties after the event plus its $set", w -> {
                    w.send("u", "e", "{'$set': {'a': 1}, '$set_once': {'first': 'x'}}");
                    w.send("u", "e", "{'$set': {'b': 2}}");
                    assertThat(w.stamp().personProperties().toObjectNode().get("a").intValue()).isEqualTo(1);
                    assertThat(w.stamp().personProperties().toObjectNode().get("b").intValue()).isEqualTo(2);
                    assertThat(w.stamp().personProperties().toObjectNode().get("first").textValue()).isEqualTo("x");
                }),
                scenario("$exception and $$heatmap never update persons", w -> {
                    w.send("u", "e", "{'$set': {'a': 1}}");
                    w.send("u", "$exception", "{'$set': {'a': 2}, '$unset': ['a']}");
                    w.send("u", "$$heatmap", "{'$set_once': {'b': 1}}");
                    assertThat(w.prop("u", "a")).isEqualTo("1");
                    assertThat(w.prop("u", "b")).isEqualTo("absent");
                }),
                scenario("survey shown records when the person last saw a survey", w -> {
                    w.send("u", "survey shown");
                    assertThat(w.prop("u", "$survey_last_seen_date")).isEqualTo("\"" + w.now() + "\"");
                }),
                scenario("a new person keeps the uuid of the event that created it", w -> {
                    EventOutcome outcome = w.send("u", "e", "{'$set': {'a': 1}}");
                    assertThat(w.prop("u", "$creator_event_uuid")).isEqualTo("\"" + outcome.eventUuid() + "\"");
                }),
                scenario("version grows by one per event that changes the person, not for events that change nothing", w -> {
                    w.send("u", "e", "{'$set': {'a': 1}}");
                    assertThat(w.person("u").version()).isZero();
                    w.send("u", "e", "{'$set': {'a': 1}}");
                    assertThat(w.person("u").version()).isZero();
                    w.send("u", "e", "{'$set': {'a': 2}}");
                    assertThat(w.person("u").version()).isEqualTo(1);
                }),

                // ---- identify / alias / merge (§2.4) ----
                scenario("identify: neither id known creates one identified person with both ids, named by the user id", w -> {
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon', '$set': {'email': 'a@x'}}");
                    assertThat(w.samePerson("user", "anon")).isTrue();
                    assertThat(w.person("user").identified()).isTrue();
                    assertThat(w.person("user").uuid()).isEqualTo(World.uuidOf(World.PROJECT, "user"));
                    assertThat(w.prop("user", "email")).isEqualTo("\"a@x\"");
                    assertThat(w.mapping("anon").version()).isZero();
                }),
                scenario("identify: only the anonymous person exists, the user id joins it and it becomes identified", w -> {
                    w.send("anon", "$pageview");
                    UUID anonPerson = w.person("anon").uuid();
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.person("user").uuid()).isEqualTo(anonPerson);
                    assertThat(w.person("user").identified()).isTrue();
                    assertThat(w.mapping("user").version()).isZero();
                }),
                scenario("identify: only the user's person exists, the anonymous id joins it", w -> {
                    w.send("user", "e", "{'$set': {'a': 1}}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.samePerson("user", "anon")).isTrue();
                    assertThat(w.person("anon").identified()).isTrue();
                    assertThat(w.store.merges()).isEmpty();
                }),
                scenario("identify: both ids already one person, nothing moves but the person becomes identified", w -> {
                    w.send("user", "$create_alias", "{'alias': 'anon'}");
                    long mappings = w.store.mappings(World.PROJECT).size();
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.store.mappings(World.PROJECT)).hasSize((int) mappings);
                    assertThat(w.person("user").identified()).isTrue();
                }),
                scenario("identify: anonymous person merged into the user's person; the user's properties win", w -> {
                    w.send("anon", "e", "{'$set': {'shared': 'anon', 'only_anon': 1}}");
                    w.later(Duration.ofHours(1)).send("user", "e", "{'$set': {'shared': 'user'}}");
                    Person anon = w.person("anon");
                    Person user = w.person("user");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    Person merged = w.person("anon");
                    assertThat(merged.uuid()).isEqualTo(user.uuid());
                    assertThat(w.prop("user", "shared")).isEqualTo("\"user\"");
                    assertThat(w.prop("user", "only_anon")).isEqualTo("1");
                    assertThat(merged.createdAt()).isEqualTo(anon.createdAt());
                    assertThat(merged.version()).isEqualTo(Math.max(anon.version(), user.version()) + 1);
                    assertThat(merged.identified()).isTrue();
                    assertThat(w.store.persons(World.PROJECT)).extracting(Person::uuid).doesNotContain(anon.uuid());
                    assertThat(w.mapping("anon").isOverride()).isTrue();
                }),
                scenario("identify refuses to merge away a person who is already identified", w -> {
                    w.send("other", "$identify", "{'$anon_distinct_id': 'x'}");
                    w.send("user", "e");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'other', '$set': {'a': 1}}");
                    assertThat(w.warnings()).containsExactly("cannot_merge_already_identified");
                    assertThat(w.samePerson("user", "other")).isFalse();
                    assertThat(w.person("user").identified()).isTrue();
                    assertThat(w.prop("user", "a")).isEqualTo("1");
                    assertThat(w.store.merges()).isEmpty();
                }),
                scenario("create_alias refuses to merge away an identified person too", w -> {
                    w.send("other", "$identify", "{'$anon_distinct_id': 'x'}");
                    w.send("user", "e");
                    w.send("user", "$create_alias", "{'alias': 'other'}");
                    assertThat(w.warnings()).containsExactly("cannot_merge_already_identified");
                    assertThat(w.samePerson("user", "other")).isFalse();
                }),
                scenario("merge_dangerously merges two identified persons", w -> {
                    w.send("a", "$identify", "{'$anon_distinct_id': 'a-anon', '$set': {'from': 'a'}}");
                    w.send("b", "$identify", "{'$anon_distinct_id': 'b-anon', '$set': {'from': 'b', 'only_b': true}}");
                    w.send("a", "$merge_dangerously", "{'alias': 'b'}");
                    assertThat(w.warnings()).isEmpty();
                    assertThat(w.samePerson("a", "b")).isTrue();
                    assertThat(w.samePerson("a", "b-anon")).isTrue();
                    assertThat(w.prop("b", "from")).isEqualTo("\"a\"");
                    assertThat(w.prop("b", "only_b")).isEqualTo("true");
                    assertThat(w.store.merges().getLast().rule()).isEqualTo(MergeRule.MERGE_DANGEROUSLY);
                }),
                scenario("an identified person can still absorb an anonymous one", w -> {
                    w.send("user", "$identify", "{'$anon_distinct_id': 'first-device'}");
                    w.send("second-device", "e");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'second-device'}");
                    assertThat(w.samePerson("user", "second-device")).isTrue();
                    assertThat(w.samePerson("user", "first-device")).isTrue();
                }),
                scenario("identify with the same id on both sides does nothing and does not identify", w -> {
                    w.send("u", "$identify", "{'$anon_distinct_id': 'u', '$set': {'a': 1}}");
                    assertThat(w.person("u").identified()).isFalse();
                    assertThat(w.prop("u", "a")).isEqualTo("1");
                    assertThat(w.warnings()).isEmpty();
                }),
                scenario("identify without $anon_distinct_id only updates properties", w -> {
                    w.send("u", "$identify", "{'$set': {'a': 1}}");
                    assertThat(w.person("u").identified()).isFalse();
                    assertThat(w.store.mappings(World.PROJECT)).hasSize(1);
                }),
                scenario("an illegal $anon_distinct_id warns, merges nothing and does not identify", w -> {
                    w.send("anonymous", "e");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anonymous'}");
                    assertThat(w.warnings()).containsExactly("cannot_merge_with_illegal_distinct_id");
                    assertThat(w.last().warnings().getFirst().details()).containsEntry("illegalDistinctId", "anonymous");
                    assertThat(w.samePerson("user", "anonymous")).isFalse();
                    assertThat(w.person("user").identified()).isFalse();
                }),
                scenario("an illegal distinct id on the event is checked first and still gets a person", w -> {
                    w.send("null", "$identify", "{'$anon_distinct_id': 'guest'}");
                    assertThat(w.last().warnings().getFirst().details()).containsEntry("illegalDistinctId", "null");
                    assertThat(w.hasPerson("null")).isTrue();
                    assertThat(w.hasPerson("guest")).isFalse();
                }),
                scenario("ids of only JavaScript white space (no-break space, BOM, ideographic space) never merge", w -> {
                    for (String blank : List.of("\u00A0", "\uFEFF", "\u3000\u2028", "\u202F\u205F\u1680")) {
                        w.send("user", "$identify", World.props("{}").put("$anon_distinct_id", blank));
                        assertThat(w.warnings()).as("U+%04X", (int) blank.charAt(0))
                                .containsExactly("cannot_merge_with_illegal_distinct_id");
                        assertThat(w.hasPerson(blank)).isFalse();
                        w.send(blank, "$create_alias", "{'alias': 'user'}");
                        assertThat(w.warnings()).containsExactly("cannot_merge_with_illegal_distinct_id");
                        assertThat(w.samePerson(blank, "user")).isFalse();
                    }
                    assertThat(w.person("user").identified()).isFalse();
                }),
                scenario("case-insensitive illegal ids: Anonymous, GUEST and \"Undefined\" never merge", w -> {
                    for (String id : List.of("Anonymous", "GUEST", "\"Undefined\"", "'email'", " ")) {
                        ObjectNode alias = World.props("{}").put("alias", id);
                        w.send("user", "$create_alias", alias);
                        assertThat(w.warnings()).as(id).containsExactly("cannot_merge_with_illegal_distinct_id");
                    }
                    assertThat(w.store.mappings(World.PROJECT)).hasSize(1);
                }),
                scenario("case-sensitive illegal ids: NaN and null never merge, nan and Null do", w -> {
                    w.send("user", "$create_alias", "{'alias': 'NaN'}");
                    assertThat(w.warnings()).containsExactly("cannot_merge_with_illegal_distinct_id");
                    w.send("user", "$create_alias", "{'alias': 'null'}");
                    assertThat(w.warnings()).containsExactly("cannot_merge_with_illegal_distinct_id");
                    w.send("user", "$create_alias", "{'alias': 'nan'}");
                    assertThat(w.warnings()).isEmpty();
                    w.send("user", "$create_alias", "{'alias': 'Null'}");
                    assertThat(w.samePerson("user", "nan")).isTrue();
                    assertThat(w.samePerson("user", "Null")).isTrue();
                }),
                scenario("an alias that is a JSON object becomes [object Object], which is illegal", w -> {
                    w.send("user", "$create_alias", "{'alias': {'id': 7}}");
                    assertThat(w.last().warnings().getFirst().details()).containsEntry("illegalDistinctId", "[object Object]");
                }),
                scenario("alias chain: b aliased to a, then c to b, makes one person", w -> {
                    w.send("a", "$create_alias", "{'alias': 'b'}");
                    w.send("c", "e");
                    w.send("b", "$create_alias", "{'alias': 'c'}");
                    assertThat(w.samePerson("a", "b")).isTrue();
                    assertThat(w.samePerson("a", "c")).isTrue();
                    assertThat(w.store.persons(World.PROJECT)).hasSize(1);
                }),
                scenario("a numeric alias merges the id spelled as that number", w -> {
                    w.send("42", "e");
                    w.send("user", "$create_alias", "{'alias': 42}");
                    assertThat(w.samePerson("user", "42")).isTrue();
                }),
                scenario("a falsy alias does nothing", w -> {
                    w.send("user", "$create_alias", "{'alias': ''}");
                    w.send("user", "$create_alias", "{'alias': 0}");
                    assertThat(w.store.mappings(World.PROJECT)).hasSize(1);
                    assertThat(w.person("user").identified()).isFalse();
                }),
                scenario("$set_once and $set of the merging event apply on top of the merged properties", w -> {
                    w.send("anon", "e", "{'$set': {'only_anon': 1, 'shared': 'anon'}}");
                    w.send("user", "e", "{'$set': {'shared': 'user'}}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon', '$set_once': {'only_anon': 2, 'fresh': 'once'}, '$set': {'shared': 'event'}}");
                    assertThat(w.prop("user", "only_anon")).isEqualTo("1");
                    assertThat(w.prop("user", "fresh")).isEqualTo("\"once\"");
                    assertThat(w.prop("user", "shared")).isEqualTo("\"event\"");
                }),
                scenario("merge history names source, target, moved ids, event and rule", w -> {
                    w.send("anon", "e");
                    w.send("anon", "$create_alias", "{'alias': 'anon-2'}");
                    w.send("user", "e");
                    UUID anonPerson = w.person("anon").uuid();
                    // alias made anon's person identified, so only merge_dangerously may take it
                    EventOutcome identify = w.send("user", "$merge_dangerously", "{'alias': 'anon'}");
                    Merge merge = w.store.merges().getLast();
                    assertThat(merge.source()).isEqualTo(anonPerson);
                    assertThat(merge.target()).isEqualTo(w.person("user").uuid());
                    assertThat(merge.distinctIdsMoved()).containsExactlyInAnyOrder("anon", "anon-2");
                    assertThat(merge.triggeringEvent()).contains(identify.eventUuid());
                    assertThat(merge.rule()).isEqualTo(MergeRule.MERGE_DANGEROUSLY);
                    assertThat(merge.at()).isEqualTo(w.now());
                }),

                // ---- personless ids that are later identified (§2.4, §3) ----
                scenario("personless then identified: the anonymous id's uuid is reused, no override needed", w -> {
                    w.send("anon", "$pageview", "{'$process_person_profile': false}");
                    UUID personless = w.stamp().personId();
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.person("user").uuid()).isEqualTo(personless);
                    assertThat(w.mapping("anon").version()).isZero();
                    assertThat(w.mapping("user").version()).isZero();
                    assertThat(w.store.personlessMark(World.PROJECT, "anon")).contains(true);
                }),
                scenario("both ids used personless before identify: the second gets an override", w -> {
                    w.send("anon", "$pageview", "{'$process_person_profile': false}");
                    w.send("user", "$pageview", "{'$process_person_profile': false}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.person("user").uuid()).isEqualTo(World.uuidOf(World.PROJECT, "user"));
                    assertThat(w.mapping("user").version()).isZero();
                    assertThat(w.mapping("anon").version()).isEqualTo(1);
                }),
                scenario("a personless id joining an existing person gets an override and a merge entry", w -> {
                    w.send("user", "e");
                    w.send("anon", "$pageview", "{'$process_person_profile': false}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    assertThat(w.mapping("anon").version()).isEqualTo(1);
                    assertThat(w.store.merges()).singleElement().satisfies(m -> {
                        assertThat(m.source()).isEqualTo(World.uuidOf(World.PROJECT, "anon"));
                        assertThat(m.target()).isEqualTo(w.person("user").uuid());
                    });
                }),
                scenario("after a merge, personless events of the merged id carry the surviving person", w -> {
                    w.send("anon", "e");
                    w.send("user", "e");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    w.send("anon", "$pageview", "{'$process_person_profile': false}");
                    assertThat(w.stamp().personId()).isEqualTo(w.person("user").uuid());
                }),

                // ---- groups (§2.8) ----
                scenario("$groupidentify gives group types indexes in order of first use and stores $group_set", w -> {
                    w.send("u", "$groupidentify", "{'$group_type': 'company', '$group_key': 'acme', '$group_set': {'plan': 'pro'}}");
                    w.send("u", "$groupidentify", "{'$group_type': 'team', '$group_key': 't1', '$group_set': {}}");
                    assertThat(w.store.group(new Group.Key(World.PROJECT, 0, "acme")))
                            .hasValueSatisfying(g -> assertThat(g.properties().get("plan").orElseThrow().textValue()).isEqualTo("pro"));
                    assertThat(w.store.group(new Group.Key(World.PROJECT, 1, "t1"))).isPresent();
                }),
                scenario("$groupidentify never changes the person who sent it", w -> {
                    w.send("u", "$groupidentify", "{'$group_type': 'company', '$group_key': 'acme', '$set': {'a': 1}}");
                    assertThat(w.prop("u", "a")).isEqualTo("absent");
                    assertThat(w.stamp().eventProperties().has("$set")).isFalse();
                }),
                scenario("$group_set updates an existing group with $set semantics", w -> {
                    w.send("u", "$groupidentify", "{'$group_type': 'company', '$group_key': 'acme', '$group_set': {'a': 1, 'b': 1}}");
                    w.send("u", "$groupidentify", "{'$group_type': 'company', '$group_key': 'acme', '$group_set': {'b': 2}}");
                    Group acme = w.store.group(new Group.Key(World.PROJECT, 0, "acme")).orElseThrow();
                    assertThat(acme.properties().toObjectNode()).isEqualTo(World.props("{'a': 1, 'b': 2}"));
                    assertThat(acme.version()).isEqualTo(1);
                }),
                scenario("$groups on an event become $group_N columns by type index", w -> {
                    w.send("u", "$groupidentify", "{'$group_type': 'company', '$group_key': 'acme'}");
                    w.send("u", "$pageview", "{'$groups': {'team': 'ops', 'company': 'acme'}}");
                    assertThat(w.stamp().groupColumns()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, "acme", 1, "ops"));
                }),
                scenario("a project has at most five group types; a sixth gets no column", w -> {
                    w.send("u", "$pageview", "{'$groups': {'g1': 'a', 'g2': 'b', 'g3': 'c', 'g4': 'd', 'g5': 'e'}}");
                    w.send("u", "$pageview", "{'$groups': {'g6': 'f', 'g1': 'a'}}");
                    assertThat(w.stamp().groupColumns()).containsExactly(java.util.Map.entry(0, "a"));
                    w.send("u", "$groupidentify", "{'$group_type': 'g6', '$group_key': 'f', '$group_set': {'x': 1}}");
                    for (int index = 0; index < 5; index++) {
                        assertThat(w.store.group(new Group.Key(World.PROJECT, index, "f"))).isEmpty();
                    }
                }),

                scenario("the channel is kept as first touch only, so a new visit's channel does not write the person", w -> {
                    w.send("u", "$identify", "{'$set': {'email': 'u@x.io'}, '$channel_type': 'Paid Search'}");
                    long version = w.person("u").version();
                    w.send("u", "$pageview", "{'$channel_type': 'Direct'}");
                    assertThat(w.prop("u", "$initial_channel_type")).isEqualTo("\"Paid Search\"");
                    assertThat(w.prop("u", "$channel_type")).isEqualTo("absent");
                    assertThat(w.person("u").version()).isEqualTo(version);
                }),

                // ---- filtered properties (§2.6, write saving) ----
                scenario("an ordinary event that only moves device and page facts does not write the person", w -> {
                    w.send("u", "$identify", "{'$set': {'email': 'u@x.io'}, '$browser': 'Chrome', '$current_url': 'https://x.io/a'}");
                    long version = w.person("u").version();
                    w.send("u", "click", "{'$browser': 'Firefox', '$current_url': 'https://x.io/b'}");
                    assertThat(w.person("u").version()).isEqualTo(version);
                    assertThat(w.prop("u", "$browser")).isEqualTo("\"Chrome\"");
                }),
                scenario("a new key or another changed key writes every changed key, filtered ones too", w -> {
                    w.send("u", "$identify", "{'$set': {'email': 'u@x.io'}, '$browser': 'Chrome'}");
                    long version = w.person("u").version();
                    w.send("u", "click", "{'$browser': 'Firefox', '$set': {'plan': 'pro'}}");
                    assertThat(w.person("u").version()).isGreaterThan(version);
                    assertThat(w.prop("u", "$browser")).isEqualTo("\"Firefox\"");
                    assertThat(w.prop("u", "plan")).isEqualTo("\"pro\"");
                }),
                scenario("a $set event always writes, even of filtered keys only", w -> {
                    w.send("u", "$identify", "{'$browser': 'Chrome'}");
                    w.send("u", "$set", "{'$set': {'$browser': 'Edge'}}");
                    assertThat(w.prop("u", "$browser")).isEqualTo("\"Edge\"");
                }),

                // ---- split (§3, reversible merges) ----
                scenario("split gives a merged-away id its old person uuid back; its events follow it by override", w -> {
                    w.send("anon", "e");
                    w.send("user", "e");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'anon'}");
                    long before = w.mapping("anon").version();
                    SplitOutcome outcome = w.split("user", List.of(List.of("anon")));
                    assertThat(outcome).isInstanceOf(SplitOutcome.Split.class);
                    assertThat(w.person("anon").uuid()).isEqualTo(World.uuidOf(World.PROJECT, "anon"));
                    assertThat(w.samePerson("anon", "user")).isFalse();
                    assertThat(w.mapping("anon").version()).isGreaterThan(before);
                    assertThat(w.person("anon").version()).isGreaterThan(w.person("user").version());
                }),
                scenario("split is recorded in the merge history", w -> {
                    w.send("a", "$create_alias", "{'alias': 'b'}");
                    w.send("a", "$create_alias", "{'alias': 'c'}");
                    w.split("a", List.of(List.of("b", "c")));
                    Merge split = w.store.merges().getLast();
                    assertThat(split.rule()).isEqualTo(MergeRule.SPLIT);
                    assertThat(split.source()).isEqualTo(w.person("a").uuid());
                    assertThat(split.target()).isEqualTo(w.person("b").uuid());
                    assertThat(split.distinctIdsMoved()).containsExactly("b", "c");
                    assertThat(w.samePerson("b", "c")).isTrue();
                }),
                scenario("split refuses to move all of a person's ids, or ids it does not have", w -> {
                    w.send("a", "$create_alias", "{'alias': 'b'}");
                    assertThat(w.split("a", List.of(List.of("b"), List.of("a")))).isInstanceOf(SplitOutcome.Refused.class);
                    assertThat(w.split("a", List.of(List.of("nobody")))).isInstanceOf(SplitOutcome.Refused.class);
                    assertThat(w.samePerson("a", "b")).isTrue();
                }),
                scenario("splitting off the id a person is named after gives it a new uuid; the rest keep the person", w -> {
                    w.send("device", "e", "{'$process_person_profile': false}");
                    w.send("user", "$identify", "{'$anon_distinct_id': 'device'}");
                    UUID named = w.person("user").uuid();
                    assertThat(named).isEqualTo(World.uuidOf(World.PROJECT, "device"));
                    assertThat(w.split("user", List.of(List.of("device")))).isInstanceOf(SplitOutcome.Split.class);
                    assertThat(w.person("user").uuid()).isEqualTo(named);
                    assertThat(w.person("device").uuid()).isNotEqualTo(named);
                    assertThat(w.samePerson("device", "user")).isFalse();
                }),
                scenario("a split-off id can be identified again later", w -> {
                    w.send("a", "$create_alias", "{'alias': 'b'}");
                    w.split("a", List.of(List.of("b")));
                    w.send("a", "$identify", "{'$anon_distinct_id': 'b'}");
                    assertThat(w.samePerson("a", "b")).isTrue();
                }),

                // ---- batches ----
                scenario("in one batch, later events see the persons earlier events made", w -> {
                    List<EventOutcome> outcomes = w.sendBatch(List.of(
                            w.event("anon", "e", "{'$set': {'a': 1}}"),
                            w.event("user", "$identify", "{'$anon_distinct_id': 'anon'}"),
                            w.event("anon", "e", "{'$set': {'b': 2}}")));
                    UUID person = w.person("user").uuid();
                    assertThat(outcomes).allSatisfy(o ->
                            assertThat(((EventOutcome.Stamped) o).stamp().personId()).isEqualTo(person));
                    assertThat(w.prop("user", "a")).isEqualTo("1");
                    assertThat(w.prop("user", "b")).isEqualTo("2");
                }),
                scenario("repeat lookups of a known id are served from memory", w -> {
                    w.send("u", "e");
                    int lookups = w.store.lookups();
                    w.send("u", "e", "{'$set': {'a': 1}}");
                    w.send("u", "e", "{'$set': {'a': 2}}");
                    assertThat(w.store.lookups()).isEqualTo(lookups);
                    assertThat(w.prop("u", "a")).isEqualTo("2");
                }),
                scenario("projects never share persons", w -> {
                    w.send("u", "e", "{'$set': {'a': 1}}");
                    BatchOutcome other = w.processor.process(List.of(new IdentityEvent(2, UUID.randomUUID(), "e", "u",
                            w.now(), World.props("{}"))));
                    w.store.write(other.changes());
                    w.processor.committed(other.changes());
                    assertThat(((EventOutcome.Stamped) other.events().getFirst()).stamp().personId())
                            .isEqualTo(World.uuidOf(2, "u"))
                            .isNotEqualTo(w.person("u").uuid());
                    assertThat(((EventOutcome.Stamped) other.events().getFirst()).stamp().personProperties().toObjectNode().has("a")).isFalse();
                })
        );
    }
}
