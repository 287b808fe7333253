package dev.sightline.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a page of the web app asks for first, answered inside the page itself (see
 * {@link WebApp#page}) so that the app draws it without waiting for those requests: the set-up
 * status and the signed-in user, and for a project's pages the projects and the project, and for a
 * dashboard the dashboard with its tiles' kept answers. Each answer is the API's own for the same
 * URL, for the browser's session, with the API's checks: a project of another organization, or
 * anything that fails, is simply left out, and the app asks for it and shows what the API says.
 * The app (api/index.ts) takes these answers for the first request of each URL only.
 */
final class PageAnswers {
    private static final Pattern PROJECT_PAGE = Pattern.compile("^/project/([^/]+)(/.*)?$");
    private static final Pattern DASHBOARD_PAGE = Pattern.compile("^/dashboard/(\\d+)/?$");

    private final Auth auth;
    private final AccountEndpoint accounts;
    private final ProjectsEndpoint projects;
    private final InsightsEndpoint insights;

    PageAnswers(Auth auth, AccountEndpoint accounts, ProjectsEndpoint projects, InsightsEndpoint insights) {
        this.auth = auth;
        this.accounts = accounts;
        this.projects = projects;
        this.insights = insights;
    }

    /** {@code setup} and {@code me} (AccountEndpoint#boot), and {@code answers}: API URL → its answer. */
    Map<String, Object> of(Context ctx) {
        Map<String, Object> boot = accounts.boot(ctx);
        Optional<Auth.Caller> caller = auth.browser(ctx);
        Matcher page = PROJECT_PAGE.matcher(ctx.path());
        if (caller.isEmpty() || !page.matches()) return boot;
        Map<String, Object> answers = new LinkedHashMap<>();
        try {
            var project = auth.project(page.group(1), caller.get());
            // the dashboard is read beside the projects: the page waits for both
            Matcher dashboard = DASHBOARD_PAGE.matcher(Optional.ofNullable(page.group(2)).orElse(""));
            CompletableFuture<Map<String, Object>> tiles = dashboard.matches()
                    ? CompletableFuture.supplyAsync(() -> insights.dashboardWithTiles(project, Long.parseLong(dashboard.group(1))), BESIDE)
                    : null;
            // the project's own answer is its entry in the list
            Map<Long, Map<String, Object>> views = projects.views(caller.get());
            answers.put("/api/projects/", ProjectsEndpoint.list(views.values()));
            answers.put("/api/projects/" + page.group(1) + "/", views.get(project.id()));
            if (tiles != null) {
                try {
                    answers.put("/api/projects/" + page.group(1) + "/dashboards/" + dashboard.group(1) + "/", tiles.join());
                } catch (CompletionException e) {
                    // refused or missing: as below
                }
            }
        } catch (ApiError e) {
            // refused or missing: the app asks, and shows the API's own answer
        }
        boot.put("answers", answers);
        return boot;
    }

    private static final Executor BESIDE = Executors.newVirtualThreadPerTaskExecutor();
}
