package dev.sightline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PersonSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void theEventsSetWinsInPlaceAndItsNewKeysComeLast() throws Exception {
        var person = PropertyMap.copyOf(object("{\"plan\":\"free\",\"email\":\"a@x.io\",\"n\":1}"));
        var snapshot = new PersonSnapshot(person, object("{\"new\":[1,{\"k\":\"v\"}],\"plan\":\"pro\"}"));

        assertThat(snapshot.json()).isEqualTo("{\"plan\":\"pro\",\"email\":\"a@x.io\",\"n\":1,\"new\":[1,{\"k\":\"v\"}]}");
        // the same text the copying way gives, key for key
        assertThat(snapshot.json()).isEqualTo(snapshot.toObjectNode().toString());
    }

    @Test
    void withoutASetItIsThePersonsOwnText() throws Exception {
        var person = PropertyMap.copyOf(object("{\"name\":\"Zoë \\\"Q\\\" \\\\ 😀\",\"score\":1.5,\"none\":null}"));
        var snapshot = new PersonSnapshot(person, object("{}"));

        assertThat(snapshot.json()).isEqualTo(person.toObjectNode().toString());
        assertThat(JSON.readTree(snapshot.json())).isEqualTo(person.toObjectNode());
        assertThat(PersonSnapshot.EMPTY.json()).isEqualTo("{}");
    }

    @Test
    void aCopyTakenFromItDoesNotChangeIt() throws Exception {
        var set = object("{\"plan\":\"pro\"}");
        var snapshot = new PersonSnapshot(PropertyMap.copyOf(object("{\"a\":{\"b\":1}}")), set);

        ObjectNode copy = snapshot.toObjectNode();
        copy.put("plan", "changed");
        ((ObjectNode) copy.get("a")).put("b", 2);

        assertThat(snapshot.json()).isEqualTo("{\"a\":{\"b\":1},\"plan\":\"pro\"}");
        assertThat(set.get("plan").textValue()).isEqualTo("pro");
    }

    @Test
    void snapshotsShowingTheSamePropertiesAreEqual() throws Exception {
        var viaSet = new PersonSnapshot(PropertyMap.copyOf(object("{\"a\":1}")), object("{\"b\":2}"));
        var inPerson = new PersonSnapshot(PropertyMap.copyOf(object("{\"b\":2,\"a\":1}")), object("{}"));
        var other = new PersonSnapshot(PropertyMap.copyOf(object("{\"a\":1}")), object("{\"b\":3}"));

        assertThat(viaSet).isEqualTo(inPerson).hasSameHashCodeAs(inPerson).isNotEqualTo(other);
    }
}
