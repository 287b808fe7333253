package dev.sightline.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** JavaScript's String.prototype.trim, as PostHog's ingestion applies it to distinct ids. */
class JsCoercionTest {

    /** ECMAScript WhiteSpace and LineTerminator: tab, LF, VT, FF, CR, space, every Zs character, BOM, LS, PS. */
    @ParameterizedTest(name = "U+{0} is JavaScript white space")
    @ValueSource(strings = {"0009", "000A", "000B", "000C", "000D", "0020", "00A0", "1680", "2000", "2001", "2002",
            "2003", "2004", "2005", "2006", "2007", "2008", "2009", "200A", "2028", "2029", "202F", "205F", "3000", "FEFF"})
    void trimRemovesJavaScriptWhiteSpace(String hex) {
        String c = Character.toString(Integer.parseInt(hex, 16));
        assertThat(JsCoercion.trim(c)).isEmpty();
        assertThat(JsCoercion.trim(c + c + "user 1" + c)).isEqualTo("user 1");
        assertThat(MergeRefusal.isIllegal(c + c)).as("an id of only U+%s", hex).isTrue();
    }

    /** Java's String.trim removes every control character up to U+0020; JavaScript keeps these. */
    @ParameterizedTest(name = "U+{0} is not JavaScript white space")
    @ValueSource(strings = {"0000", "0001", "0008", "000E", "001C", "001F", "0085", "180E", "200B", "200C", "200D", "2060"})
    void trimKeepsEverythingElse(String hex) {
        String c = Character.toString(Integer.parseInt(hex, 16));
        assertThat(JsCoercion.trim(c)).isEqualTo(c);
        assertThat(JsCoercion.trim(" " + c + " ")).isEqualTo(c);
        assertThat(MergeRefusal.isIllegal(c)).as("an id of only U+%s", hex).isFalse();
    }
}
