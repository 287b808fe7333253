package dev.sightline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.account.Role;
import dev.sightline.account.SignInLimiter;
import dev.sightline.store.Project;
import dev.sightline.testing.TestServer;
import dev.sightline.testing.WebClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app's security over real HTTP: set-up, sign-in and its rate limit, sessions and CSRF,
 * the private API closed to anonymous callers and to other organizations, keys revoked at once,
 * no CORS on the private API, and no password in any answer or in the store.
 */
class AccountsHttpTest {
    private static final String PASSWORD = "correct horse battery";
    private static TestServer server;
    private static String adminEmail = "ada@example.com";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        String code = server.sightline().accounts().setupCode().orElseThrow();
        WebClient browser = new WebClient(server.baseUrl());
        HttpResponse<String> wrong = browser.send("POST", "/api/setup/", setup("WRONG-CODE-0000"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(browser.json(wrong).get("code").asText()).isEqualTo("invalid_setup_code");
        HttpResponse<String> ok = browser.send("POST", "/api/setup/", setup(code.toLowerCase()));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(browser.json(ok).get("role").asText()).isEqualTo("admin");
        assertThat(browser.json(ok).at("/organization/name").asText()).isEqualTo("Acme");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String setup(String code) {
        return "{\"setup_code\":\"" + code + "\",\"email\":\"" + adminEmail + "\",\"password\":\"" + PASSWORD
                + "\",\"first_name\":\"Ada\",\"organization_name\":\"Acme\"}";
    }

    /** The boot answers the server writes into the app's page (WebApp.page), as JSON. */
    private static JsonNode bootOf(HttpResponse<String> page) {
        String open = "<script id=\"sightline-boot\" type=\"application/json\">";
        int from = page.body().indexOf(open);
        assertThat(from).as("the page carries its boot answers: %s", page.body()).isGreaterThanOrEqualTo(0);
        String data = page.body().substring(from + open.length(), page.body().indexOf("</script>", from));
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(data);
        } catch (java.io.IOException e) {
            throw new AssertionError("boot answers are not JSON: " + data, e);
        }
    }

    @Test
    void theAppsPageCarriesTheSignInStatusAndTheUserNeverCachedAndEscaped() {
        WebClient browser = new WebClient(server.baseUrl());
        HttpResponse<String> out = browser.page("/project/" + server.projectId() + "/persons");
        org.junit.jupiter.api.Assumptions.assumeTrue(out.statusCode() != 503, "the web app is built by the Maven build");
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode signedOut = bootOf(out);
        assertThat(signedOut.at("/setup/signed_in").asBoolean(true)).isFalse();
        assertThat(signedOut.has("me")).isFalse();

        browser.signIn(adminEmail, PASSWORD);
        String path = "/api/projects/" + server.projectId() + "/";
        String before = browser.json(browser.get(path)).get("name").asText();
        // a name that would end the script element and start another, if it were not escaped
        String hostile = "</script><script>alert(1)</script><!--";
        assertThat(browser.send("PATCH", path, "{\"name\":\"" + hostile.replace("\"", "\\\"") + "\"}").statusCode()).isEqualTo(200);
        try {
            HttpResponse<String> in = browser.page("/project/" + server.projectId() + "/dashboard/1");
            JsonNode boot = bootOf(in);
            assertThat(boot.at("/setup/signed_in").asBoolean()).isTrue();
            assertThat(boot.at("/me/email").asText()).isEqualTo(adminEmail);
            assertThat(boot.at("/me/csrf_token").asText()).isEqualTo(browser.cookie("sightline_csrf").orElseThrow());
            assertThat(boot.at("/me/team/name").asText()).isEqualTo(hostile);
            // the page's first data: the API's own answers for the same URLs
            String project = "/api/projects/" + server.projectId() + "/";
            assertThat(boot.at("/answers").get(project)).isEqualTo(browser.json(browser.get(project)));
            assertThat(boot.at("/answers").get("/api/projects/")).isEqualTo(browser.json(browser.get("/api/projects/")));
            // a project of another organization, or one that does not exist, is left to the API to refuse
            JsonNode other = bootOf(browser.page("/project/999999/dashboard/1"));
            assertThat(other.at("/answers").has("/api/projects/999999/")).isFalse();
            assertThat(other.at("/me/email").asText()).isEqualTo(adminEmail);
            assertThat(in.body()).doesNotContain("<script>alert(1)");
            assertThat(in.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        } finally {
            browser.send("PATCH", path, "{\"name\":\"" + before + "\"}");
        }
    }

    @Test
    void setUpHappensOnceAndThenSaysSo() {
        WebClient browser = new WebClient(server.baseUrl());
        assertThat(browser.json(browser.get("/api/setup/")).get("needs_setup").asBoolean()).isFalse();
        HttpResponse<String> again = browser.send("POST", "/api/setup/", setup("ANY-CODE"));
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(browser.json(again).get("code").asText()).isEqualTo("already_set_up");
    }

    @Test
    void signedInBrowserReadsAndWritesWithItsCsrfTokenOnly() {
        WebClient browser = new WebClient(server.baseUrl());
        assertThat(browser.json(browser.get("/api/setup/")).get("signed_in").asBoolean()).isFalse();
        JsonNode me = browser.signIn(adminEmail, PASSWORD);
        assertThat(browser.json(browser.get("/api/setup/")).get("signed_in").asBoolean()).isTrue();
        assertThat(me.get("email").asText()).isEqualTo(adminEmail);
        assertThat(browser.cookie("sightline_session")).isPresent();
        assertThat(me.get("csrf_token").asText()).isEqualTo(browser.cookie("sightline_csrf").orElseThrow());

        assertThat(browser.get("/api/projects/").statusCode()).isEqualTo(200);
        String patch = "{\"name\":\"Renamed\"}";
        String path = "/api/projects/" + server.projectId() + "/";

        // the same cookies without the header, as a form on another site would send them
        WebClient forged = new WebClient(server.baseUrl()).sameCookiesAs(browser).withCsrf(false);
        HttpResponse<String> noHeader = forged.send("PATCH", path, patch);
        assertThat(noHeader.statusCode()).isEqualTo(403);
        assertThat(forged.json(noHeader).get("code").asText()).isEqualTo("csrf_failed");
        // the right header from another origin (a page that somehow learnt the token) is refused too
        WebClient otherOrigin = new WebClient(server.baseUrl()).sameCookiesAs(browser).withOrigin("https://evil.example");
        assertThat(otherOrigin.send("PATCH", path, patch).statusCode()).isEqualTo(403);
        assertThat(browser.json(browser.get(path)).get("name").asText()).as("nothing changed").isEqualTo("Default project");

        HttpResponse<String> ok = browser.send("PATCH", path, "{\"name\":\"Default project\",\"timezone\":\"Europe/Zurich\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(browser.json(ok).get("timezone").asText()).isEqualTo("Europe/Zurich");
        browser.send("PATCH", path, "{\"timezone\":\"UTC\"}");
        assertThat(browser.json(browser.send("PATCH", path, "{\"timezone\":\"Mars/Olympus\"}")).get("attr").asText()).isEqualTo("timezone");

        // sign-out ends the session on the server, not just in this browser
        String session = browser.cookie("sightline_session").orElseThrow();
        assertThat(browser.send("POST", "/api/logout/", null).statusCode()).isEqualTo(204);
        WebClient replay = new WebClient(server.baseUrl()).sameCookiesAs(forged);
        assertThat(replay.cookie("sightline_session")).contains(session);
        assertThat(replay.get("/api/projects/").statusCode()).isEqualTo(401);
    }

    @Test
    void everyPrivateRouteRefusesAnonymousCalls() {
        long p = server.projectId();
        String person = "/api/projects/" + p + "/persons/00000000-0000-0000-0000-000000000001";
        List<String[]> routes = List.of(
                new String[] {"GET", "/api/users/@me/"}, new String[] {"GET", "/api/projects/"}, new String[] {"POST", "/api/projects/"},
                new String[] {"GET", "/api/projects/" + p + "/"}, new String[] {"PATCH", "/api/projects/" + p + "/"},
                new String[] {"GET", "/api/projects/@current/"}, new String[] {"GET", "/api/environments/" + p + "/events/"},
                new String[] {"POST", "/api/projects/" + p + "/test_event/"}, new String[] {"GET", "/api/projects/demo/"},
                new String[] {"POST", "/api/projects/demo/"}, new String[] {"GET", "/api/projects/" + p + "/events/"},
                new String[] {"POST", "/api/projects/" + p + "/query/"}, new String[] {"GET", "/api/projects/" + p + "/event_definitions/"},
                new String[] {"GET", "/api/projects/" + p + "/property_definitions/"},
                new String[] {"GET", "/api/projects/" + p + "/property_values/?key=a"}, new String[] {"GET", "/api/projects/" + p + "/persons/"},
                new String[] {"GET", person + "/"}, new String[] {"PATCH", person + "/"}, new String[] {"DELETE", person + "/"},
                new String[] {"POST", person + "/update_property/"}, new String[] {"POST", person + "/delete_property/"},
                new String[] {"GET", person + "/merges/"}, new String[] {"POST", person + "/split/"}, new String[] {"GET", person + "/timeline/"},
                new String[] {"GET", "/api/personal_api_keys/"}, new String[] {"POST", "/api/personal_api_keys/"},
                new String[] {"DELETE", "/api/personal_api_keys/1/"}, new String[] {"GET", "/api/organizations/@current/"},
                new String[] {"GET", "/api/organizations/@current/members/"}, new String[] {"GET", "/api/organizations/@current/invites/"},
                new String[] {"POST", "/api/organizations/@current/invites/"}, new String[] {"DELETE", "/api/organizations/@current/invites/1/"});
        WebClient anonymous = new WebClient(server.baseUrl());
        for (String[] r : routes) {
            HttpResponse<String> res = anonymous.send(r[0], r[1], r[0].equals("GET") || r[0].equals("DELETE") ? null : "{}");
            assertThat(res.statusCode()).as(r[0] + " " + r[1] + " " + res.body()).isEqualTo(401);
            assertThat(anonymous.json(res).get("code").asText()).isEqualTo("not_authenticated");
        }
    }

    @Test
    void aUserOfOneOrganizationSeesNothingOfAnother() {
        long otherOrg = server.sightline().meta().createOrganization("Globex");
        Project theirs = server.sightline().meta().createProject(otherOrg, "Globex site", "phc_globex" + System.nanoTime(), "UTC");
        server.sightline().accounts().createUser(otherOrg, "hank@globex.example", "Hank", PASSWORD, Role.ADMIN);
        WebClient hank = new WebClient(server.baseUrl());
        hank.signIn("hank@globex.example", PASSWORD);

        JsonNode projects = hank.json(hank.get("/api/projects/"));
        assertThat(projects.get("results")).extracting(n -> n.get("id").asLong()).containsExactly(theirs.id());
        long ours = server.projectId();
        for (String path : List.of("/api/projects/" + ours + "/", "/api/projects/" + ours + "/persons/", "/api/projects/" + ours + "/events/",
                "/api/environments/" + ours + "/event_definitions/")) {
            assertThat(hank.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(hank.send("POST", "/api/projects/" + ours + "/query/", "{\"query\":{\"kind\":\"EventsQuery\",\"select\":[\"event\"]}}")
                .statusCode()).isEqualTo(403);
        assertThat(hank.json(hank.get("/api/organizations/@current/members/")).get("results"))
                .extracting(n -> n.at("/user/email").asText()).containsExactly("hank@globex.example");
        assertThat(hank.json(hank.get("/api/projects/@current/")).get("id").asLong()).isEqualTo(theirs.id());
        // and our key cannot read theirs
        HttpResponse<String> byKey = server.get("/api/projects/" + theirs.id() + "/persons/");
        assertThat(byKey.statusCode()).isEqualTo(403);
    }

    @Test
    void signInIsRateLimitedPerAccountEvenForTheRightPassword() {
        server.sightline().accounts().createUser(1, "limited@example.com", "Lim", PASSWORD, Role.MEMBER);
        WebClient browser = new WebClient(server.baseUrl());
        for (int i = 0; i < SignInLimiter.PER_ACCOUNT; i++) {
            HttpResponse<String> r = browser.send("POST", "/api/login/", "{\"email\":\"limited@example.com\",\"password\":\"wrong password " + i + "\"}");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(browser.json(r).get("detail").asText()).isEqualTo("the email or the password is wrong");
        }
        HttpResponse<String> blocked = browser.send("POST", "/api/login/", "{\"email\":\"limited@example.com\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(browser.cookie("sightline_session")).isEmpty();
        // an unknown email answers exactly as a wrong password does
        HttpResponse<String> unknown = browser.send("POST", "/api/login/", "{\"email\":\"nobody@example.com\",\"password\":\"whatever1\"}");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(browser.json(unknown).get("detail").asText()).isEqualTo("the email or the password is wrong");
    }

    @Test
    void aRevokedKeyIsRefusedOnItsVeryNextCall() {
        WebClient browser = new WebClient(server.baseUrl());
        browser.signIn(adminEmail, PASSWORD);
        JsonNode created = browser.json(browser.send("POST", "/api/personal_api_keys/", "{\"label\":\"script\"}"));
        String value = created.get("value").asText();
        assertThat(value).startsWith("phx_");
        java.net.http.HttpRequest withKey = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.baseUrl() + "/api/projects/" + server.projectId() + "/events/")).header("Authorization", "Bearer " + value).build();
        assertThat(server.send(withKey).statusCode()).isEqualTo(200);

        JsonNode listed = browser.json(browser.get("/api/personal_api_keys/"));
        JsonNode mine = Stream.of(listed.get("results")).flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false))
                .filter(k -> k.get("id").asLong() == created.get("id").asLong()).findFirst().orElseThrow();
        assertThat(mine.has("value")).as("a key's value is shown once, at creation").isFalse();
        assertThat(mine.get("last_used_at").isNull()).as("the call above is its last use").isFalse();

        assertThat(browser.send("DELETE", "/api/personal_api_keys/" + created.get("id").asLong() + "/", null).statusCode()).isEqualTo(204);
        HttpResponse<String> refused = server.send(withKey);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(browser.json(browser.get("/api/personal_api_keys/")).get("results")).extracting(k -> k.get("id").asLong())
                .doesNotContain(created.get("id").asLong());
    }

    @Test
    void invitedMemberJoinsTheOrganizationAndCannotInviteOthers() {
        WebClient admin = new WebClient(server.baseUrl());
        admin.signIn(adminEmail, PASSWORD);
        HttpResponse<String> invited = admin.send("POST", "/api/organizations/@current/invites/", "{\"target_email\":\"Bob@Example.com\",\"role\":\"member\"}");
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
        String token = admin.json(invited).get("accept_url").asText().substring("/invite/".length());

        WebClient bob = new WebClient(server.baseUrl());
        JsonNode info = bob.json(bob.get("/api/invites/" + token + "/"));
        assertThat(info.get("email").asText()).isEqualTo("bob@example.com");
        assertThat(info.get("organization_name").asText()).isEqualTo("Acme");
        HttpResponse<String> weak = bob.send("POST", "/api/invites/" + token + "/accept/", "{\"first_name\":\"Bob\",\"password\":\"short\"}");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(bob.json(weak).get("attr").asText()).isEqualTo("password");
        HttpResponse<String> accepted = bob.send("POST", "/api/invites/" + token + "/accept/", "{\"first_name\":\"Bob\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(bob.json(accepted).get("role").asText()).isEqualTo("member");
        assertThat(bob.get("/api/invites/" + token + "/").statusCode()).as("an invitation is used once").isEqualTo(404);

        assertThat(bob.json(bob.get("/api/projects/")).get("results")).isNotEmpty();
        HttpResponse<String> notAdmin = bob.send("POST", "/api/organizations/@current/invites/", "{\"target_email\":\"eve@example.com\"}");
        assertThat(notAdmin.statusCode()).isEqualTo(403);
    }

    @Test
    void thePrivateApiHasNoCorsWhileCaptureKeepsIt() {
        WebClient page = new WebClient(server.baseUrl()).withOrigin("https://site.example");
        HttpResponse<String> api = page.send("OPTIONS", "/api/projects/", null);
        assertThat(api.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> apiGet = page.get("/api/projects/");
        assertThat(apiGet.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> capture = page.send("OPTIONS", "/e/", null);
        assertThat(capture.headers().firstValue("Access-Control-Allow-Origin")).contains("https://site.example");
    }

    @Test
    void passwordsAreNeverReturnedAndStoredOnlyAsArgon2idHashes() throws Exception {
        WebClient browser = new WebClient(server.baseUrl());
        String everything = browser.signIn(adminEmail, PASSWORD).toString() + browser.get("/api/users/@me/").body()
                + browser.get("/api/organizations/@current/members/").body();
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain("argon2").doesNotContain("password");
        // the database file holds no password in plain text
        server.sightline().close();
        byte[] db = Files.readAllBytes(Files.list(server.dataDir()).filter(f -> f.toString().endsWith(".duckdb")).findFirst().orElseThrow());
        String raw = new String(db, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain(PASSWORD);
        server.restart();
    }

}
