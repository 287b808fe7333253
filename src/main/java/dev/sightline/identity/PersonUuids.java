package dev.sightline.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Person uuids are derived, not random: the uuidv5 of "&lt;project&gt;:&lt;distinct id&gt;". So a
 * personless event, and the person later created for the same id, carry the same person id and
 * need no override.
 */
public final class PersonUuids {
    private static final UUID NAMESPACE = UUID.fromString("932979b4-65c3-4424-8467-0b66ec27bc22");

    private PersonUuids() {
    }

    public static UUID forDistinctId(long projectId, String distinctId) {
        return uuidV5(NAMESPACE, projectId + ":" + distinctId);
    }

    /**
     * The uuid of a person split off under an id whose plain uuid is already taken (by the person it
     * is split from, which keeps its uuid): derived from the id and the split's version, so unique.
     */
    static UUID forSplit(long projectId, String distinctId, long version) {
        return uuidV5(NAMESPACE, projectId + ":" + distinctId + ":split:" + version);
    }

    private static UUID uuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 4122 variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
