package dev.sightline.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What people do in one session, written out as the events the SDKs send: a visit to the
 * marketing site (sometimes ending in a demo request or a sign-up and onboarding), a working
 * session in the web app (sometimes on a new device, logging in first; sometimes upgrading or
 * buying), and the billing events the backend sends on its own.
 */
final class Journeys {
    private static final List<String> INSIGHT_TYPES = List.of("trends", "funnel", "retention", "table", "number");
    private static final List<String> DATA_SOURCES = List.of("stripe", "postgres", "google_sheets", "hubspot", "csv_upload", "bigquery");
    private static final List<String> INTEGRATIONS = List.of("slack", "stripe", "hubspot", "salesforce", "github", "google_sheets");
    private static final List<String> EXPORT_FORMATS = List.of("pdf", "csv", "png");

    private final Population population;
    private final Optional<String> token;

    Journeys(Population population, Optional<String> token) {
        this.population = population;
        this.token = token;
    }

    /** Someone on the marketing site: a new visitor from some source, or a recent one coming back. */
    List<Timed> visit(long start, Weighted<Geography.Zone> zones, Rng rng) {
        OptionalInt slot = rng.chance(0.25) ? population.returning(rng, start) : OptionalInt.empty();
        boolean returning = slot.isPresent();
        Device device = returning ? population.recent(slot.getAsInt()) : population.newDevice(start, zones.pick(rng));
        List<Timed> out = new ArrayList<>();
        Tab tab = new Tab(out, device, start, rng, token);
        Sources.Arrival arrival = Sources.arrival(rng);
        if (returning && rng.chance(0.6)) arrival = new Sources.Arrival("direct", "$direct", Map.of(), "/");
        tab.arrive(arrival);
        boolean signup = rng.chance(returning ? 0.05 : 0.02);
        boolean demo = rng.chance(signup ? 0.12 : 0.004);

        tab.pageview(Tab.SITE, arrival.landingPath(), Pages.title(arrival.landingPath()));
        int more = rng.geometric(0.42, 10);
        for (int i = 0; i <= more; i++) {
            int clicks = rng.poisson(0.6);
            for (int c = 0; c < clicks; c++) tab.click(rng.pick(Pages.MARKETING_CLICKS), "a.btn");
            tab.read(40);
            if (i < more) {
                Pages.Page page = Pages.MARKETING.pick(rng);
                tab.pageview(Tab.SITE, page.path(), page.title());
            }
        }
        Optional<String> lead = Optional.empty();
        Backend backend = new Backend(out, rng);
        if (demo) {
            tab.pageview(Tab.SITE, "/demo", Pages.title("/demo"));
            tab.read(45);
            tab.click("Book a demo", "button.btn.btn-primary");
            lead = Optional.of("lead_" + rng.token(12));
            tab.now += 400;
            ObjectNode p = backend.capture(tab.now, "demo requested", lead.get(), Optional.empty());
            p.put("team_size", rng.pick(List.of("1-10", "11-50", "51-200", "201-1000")));
            p.put("source", arrival.source());
        }
        if (!signup) {
            tab.leave();
            population.remember(device, tab.end(), slot);
            return out;
        }
        tab.pageview(Tab.SITE, "/signup", Pages.title("/signup"));
        tab.read(40);
        tab.click("Create account", "button.btn.btn-primary");
        Population.Signup s = population.signUp(device, tab.now, rng);
        population.forget(slot);
        User u = s.user();
        tab.identify(u, true);
        if (lead.isPresent()) {
            // the CRM knew this person as a lead: the backend aliases the lead id to the new user
            tab.now += 800;
            backend.alias(tab.now, u.distinctId, lead.get());
        }
        if (s.newCompany()) tab.groupIdentify(u.company, u.plan);
        ObjectNode p = tab.custom("user signed up");
        p.put("signup_method", rng.pick(List.of("email", "email", "google", "github")));
        p.put("plan", u.plan);
        onboarding(tab, u, rng);
        tab.leave();
        u.busyUntilMillis = tab.end();
        return out;
    }

    private void onboarding(Tab tab, User u, Rng rng) {
        tab.pageview(Tab.APP, "/onboarding", "Welcome – Tallyboard");
        int steps = rng.between(1, 4);
        String[] names = {"connect_data", "pick_template", "invite_team", "set_alert"};
        for (int i = 0; i < steps; i++) {
            tab.read(25);
            ObjectNode p = tab.custom("onboarding step completed");
            p.put("step", i + 1);
            p.put("step_name", names[i]);
        }
        tab.read(20);
        tab.pageview(Tab.APP, "/dashboards/1", "Dashboard – Tallyboard");
        ObjectNode p = tab.custom("dashboard created");
        p.put("template", rng.pick(List.of("saas_metrics", "sales_pipeline", "marketing_funnel", "blank")));
        tab.read(60);
    }

    /** A user at work in the web app, on one of their devices. */
    List<Timed> appSession(long start, User u, Rng rng) {
        List<Timed> out = new ArrayList<>();
        Tab tab;
        if (u.devices.size() < u.devicesWanted && rng.chance(0.3)) {
            // a device the user never logged in on: anonymous until the login identifies it
            Device fresh = population.newDevice(start, u.zone);
            u.devices.add(fresh);
            tab = new Tab(out, fresh, start, rng, token);
            tab.pageview(Tab.APP, "/login", "Log in – Tallyboard");
            tab.read(12);
            tab.click("Log in", "button.btn.btn-primary");
            tab.identify(u, false);
        } else {
            Device d = u.devices.size() == 1 || rng.chance(0.65) ? u.devices.getFirst() : u.devices.get(1 + rng.below(u.devices.size() - 1));
            tab = new Tab(out, d, start, rng, token).loggedIn(u);
        }
        Backend backend = new Backend(out, rng);
        int screens = 1 + rng.geometric(0.16, 30);
        for (int i = 0; i < screens; i++) {
            Pages.Screen screen = Pages.APP.pick(rng);
            // a session opens on a page; searching comes after
            screen(tab, i == 0 && screen == Pages.Screen.SEARCH ? Pages.Screen.HOME : screen, rng);
            int clicks = rng.poisson(0.5);
            for (int c = 0; c < clicks; c++) tab.click(rng.pick(Pages.APP_CLICKS), "button.btn");
            tab.read(50);
        }
        if (!u.plan.equals("enterprise") && rng.chance(u.paying() ? 0.01 : 0.025)) upgrade(tab, backend, u, rng);
        if (u.paying() && rng.chance(0.01)) purchase(tab, backend, u, rng);
        tab.leave();
        u.busyUntilMillis = tab.end();
        return out;
    }

    private void screen(Tab tab, Pages.Screen screen, Rng rng) {
        switch (screen) {
            case HOME -> {
                tab.pageview(Tab.APP, "/home", "Home – Tallyboard");
                if (rng.chance(0.5)) dashboardViewed(tab, rng, "home");
            }
            case DASHBOARD -> {
                tab.pageview(Tab.APP, "/dashboards/" + rng.between(1, 40), "Dashboard – Tallyboard");
                dashboardViewed(tab, rng, "navigation");
                if (rng.chance(0.3)) tab.custom("dashboard filtered").put("filter", rng.pick(List.of("date_range", "team", "region", "plan")));
                if (rng.chance(0.15)) tab.custom("tile added").put("tile_type", rng.pick(INSIGHT_TYPES));
            }
            case NEW_INSIGHT -> {
                tab.pageview(Tab.APP, "/insights/new", "New insight – Tallyboard");
                tab.read(60);
                ObjectNode p = tab.custom("insight created");
                p.put("insight_type", rng.pick(INSIGHT_TYPES));
                p.put("data_source", rng.pick(DATA_SOURCES));
            }
            case INSIGHT -> {
                tab.pageview(Tab.APP, "/insights/" + rng.between(1, 300), "Insight – Tallyboard");
                tab.custom("insight viewed").put("insight_type", rng.pick(INSIGHT_TYPES));
                if (rng.chance(0.1)) tab.custom("report exported").put("format", rng.pick(EXPORT_FORMATS));
            }
            case REPORTS -> {
                tab.pageview(Tab.APP, "/reports", "Reports – Tallyboard");
                if (rng.chance(0.4)) tab.custom("report exported").put("format", rng.pick(EXPORT_FORMATS));
                if (rng.chance(0.15)) tab.custom("report scheduled").put("frequency", rng.pick(List.of("daily", "weekly", "weekly", "monthly")));
            }
            case ALERTS -> {
                tab.pageview(Tab.APP, "/alerts", "Alerts – Tallyboard");
                if (rng.chance(0.35)) {
                    ObjectNode p = tab.custom("alert created");
                    p.put("channel", rng.pick(List.of("slack", "email", "email", "sms")));
                    p.put("metric", rng.pick(List.of("mrr", "signups", "churn_rate", "active_users", "pipeline_value")));
                }
            }
            case INTEGRATIONS -> {
                tab.pageview(Tab.APP, "/integrations", "Integrations – Tallyboard");
                if (rng.chance(0.3)) tab.custom("integration connected").put("integration", rng.pick(INTEGRATIONS));
            }
            case TEAM -> {
                tab.pageview(Tab.APP, "/settings/team", "Team – Tallyboard");
                if (rng.chance(0.3)) tab.custom("teammate invited").put("role", rng.pick(List.of("member", "member", "admin", "viewer")));
            }
            case SEARCH -> {
                ObjectNode p = tab.custom("search performed");
                p.put("query_length", rng.between(2, 30));
                p.put("results", rng.poisson(6));
            }
            case BILLING -> tab.pageview(Tab.APP, "/billing", "Billing – Tallyboard");
        }
    }

    private static void dashboardViewed(Tab tab, Rng rng, String source) {
        ObjectNode p = tab.custom("dashboard viewed");
        p.put("tiles", rng.between(2, 16));
        p.put("source", source);
    }

    private void upgrade(Tab tab, Backend backend, User u, Rng rng) {
        String next = Plans.next(u.plan);
        tab.pageview(Tab.APP, "/billing", "Billing – Tallyboard");
        tab.read(40);
        tab.click("Upgrade to " + next, "button.btn.btn-primary");
        int seats = Math.max(1, Math.min(u.company.employees(), rng.between(1, 20)));
        boolean annual = rng.chance(0.25);
        tab.now += 1500;
        ObjectNode p = backend.capture(tab.now, "subscription upgraded", u.distinctId, Optional.of(u.company));
        p.put("previous_plan", u.plan);
        p.put("plan", next);
        p.put("seats", seats);
        p.put("billing_period", annual ? "annual" : "monthly");
        p.put("revenue", Plans.monthlyPrice(next) * seats * (annual ? 10 : 1));
        p.put("currency", "USD");
        p.putObject("$set").put("plan", next);
        tab.now += 200;
        backend.groupIdentify(tab.now, u.company, next);
        u.plan = next;
    }

    private void purchase(Tab tab, Backend backend, User u, Rng rng) {
        tab.pageview(Tab.APP, "/billing/add-ons", "Add-ons – Tallyboard");
        tab.read(30);
        String product = rng.pick(List.of("extra seats", "sms credits", "priority support"));
        tab.click("Buy " + product, "button.btn.btn-primary");
        tab.now += 1200;
        int quantity = rng.between(1, 10);
        ObjectNode p = backend.capture(tab.now, "purchase completed", u.distinctId, Optional.of(u.company));
        p.put("product", product);
        p.put("quantity", quantity);
        p.put("revenue", quantity * (product.equals("priority support") ? 199.0 : 15.0));
        p.put("currency", "USD");
    }

    /** The monthly renewal of a paying user, sent by the backend. */
    List<Timed> invoice(long at, User u, Rng rng) {
        List<Timed> out = new ArrayList<>();
        ObjectNode p = new Backend(out, rng).capture(at, "invoice paid", u.distinctId, Optional.of(u.company));
        p.put("plan", u.plan);
        p.put("invoice_id", "in_" + rng.token(14));
        p.put("revenue", Plans.monthlyPrice(u.plan) * rng.between(1, 5));
        p.put("currency", "USD");
        return out;
    }

    /** A paying user who churns cancels; a free one simply stops coming. */
    List<Timed> cancellation(long at, User u, Rng rng) {
        List<Timed> out = new ArrayList<>();
        ObjectNode p = new Backend(out, rng).capture(at, "subscription cancelled", u.distinctId, Optional.of(u.company));
        p.put("plan", u.plan);
        p.put("reason", rng.pick(List.of("too_expensive", "missing_feature", "switched_tool", "project_ended", "other")));
        p.putObject("$set").put("plan", "free");
        return out;
    }
}
