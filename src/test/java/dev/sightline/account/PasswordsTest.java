package dev.sightline.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedEachTime() {
        String a = Passwords.hash("correct horse");
        String b = Passwords.hash("correct horse");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(Passwords.verify("correct horse", a)).isTrue();
        assertThat(Passwords.verify("correct horse", b)).isTrue();
        assertThat(Passwords.verify("correct horsf", a)).isFalse();
        assertThat(Passwords.verify("", a)).isFalse();
        assertThat(Passwords.verify("correct horse", "$2a$10$notargon")).isFalse();
    }

    @Test
    void aHashKeepsItsOwnParameters() {
        // made with other parameters: they are read from the stored string, not assumed
        String weaker = Passwords.hash("x", 64, 1, 1);
        assertThat(weaker).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(Passwords.verify("x", weaker)).isTrue();
        assertThat(Passwords.verify("y", weaker)).isFalse();
        assertThat(Passwords.verify("x", "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$AA")).as("malformed, not an exception").isFalse();
    }
}
