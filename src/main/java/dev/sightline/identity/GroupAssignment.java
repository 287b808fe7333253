package dev.sightline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Groups on events: {@code $groups: {company: "acme"}} becomes the column {@code $group_N = "acme"}
 * where N is the project's index for "company"; {@code $groupidentify} creates or updates a group.
 * A project has at most five group types; a sixth name is ignored.
 */
final class GroupAssignment {
    private final BatchView view;

    GroupAssignment(BatchView view) {
        this.view = view;
    }

    /** The $group_0..4 values of an event. */
    Map<Integer, String> columns(PersonEvent event) {
        JsonNode groups = event.properties().get("$groups");
        if (!(groups instanceof ObjectNode byType)) {
            return Map.of();
        }
        Map<Integer, String> columns = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : byType.properties()) {
            if (entry.getValue().isNull()) {
                continue;
            }
            view.groupTypeIndex(event.projectId(), entry.getKey())
                    .ifPresent(index -> columns.put(index, JsCoercion.asString(entry.getValue())));
        }
        return columns;
    }

    /** Applies a {@code $groupidentify}: {@code $group_set} onto the group, with $set semantics. */
    void identify(PersonEvent event) {
        JsonNode type = event.properties().get("$group_type");
        JsonNode key = event.properties().get("$group_key");
        if (type == null || !type.isTextual() || !JsCoercion.isTruthy(key)) {
            return;
        }
        Optional<Integer> index = view.groupTypeIndex(event.projectId(), type.textValue());
        if (index.isEmpty()) {
            return;
        }
        Group.Key id = new Group.Key(event.projectId(), index.get(), JsCoercion.asString(key));
        PropertyUpdate update = PropertyUpdate.setting(event.properties().get("$group_set"));
        Optional<Group> existing = view.group(id);
        if (existing.isEmpty()) {
            Group created = new Group(id.projectId(), id.typeIndex(), id.key(),
                    update.applyTo(PropertyMap.empty()).orElse(PropertyMap.empty()), event.timestamp(), 0);
            view.putGroup(created);
            return;
        }
        Group group = existing.get();
        update.applyTo(group.properties()).ifPresent(properties -> view.putGroup(new Group(group.projectId(),
                group.typeIndex(), group.key(), properties, group.createdAt(), group.version() + 1)));
    }
}
